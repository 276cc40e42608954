#include "image/registry/registry.h"

#include <gtest/gtest.h>

#include "image/image_store.h"
#include "image/internal/manifest.h"

namespace berth::image {
namespace {

TEST(Registry, ParsesBearerChallenge) {
  auto ch = registry::parse_challenge(
      "Bearer "
      "realm=\"https://auth.example/token\",service=\"registry\",scope=\"repository:a/b:pull\"");
  EXPECT_EQ(ch.scheme, "bearer");
  EXPECT_EQ(ch.params["realm"], "https://auth.example/token");
  EXPECT_EQ(ch.params["service"], "registry");
  EXPECT_EQ(ch.params["scope"], "repository:a/b:pull");
  EXPECT_EQ(registry::parse_challenge("Basic realm=\"x\"").scheme, "basic");
}

TEST(Registry, Base64RoundTrip) {
  EXPECT_EQ(registry::base64_encode("berth:s3cret"), "YmVydGg6czNjcmV0");
  EXPECT_EQ(*registry::base64_decode("YmVydGg6czNjcmV0"), "berth:s3cret");
  EXPECT_EQ(*registry::base64_decode(registry::base64_encode("a")), "a");
}

TEST(Registry, CredentialsFromDockerConfig) {
  std::string cfg = R"({"auths":{"127.0.0.1:5000":{"auth":"YmVydGg6czNjcmV0"},
                      "https://index.docker.io/v1/":{"auth":"dTpw"}}})";
  auto c = registry::credentials_from_config(cfg, "127.0.0.1:5000");
  EXPECT_EQ(c.username, "berth");
  EXPECT_EQ(c.password, "s3cret");
  auto hub = registry::credentials_from_config(cfg, "docker.io");
  EXPECT_EQ(hub.username, "u");
  EXPECT_TRUE(registry::credentials_from_config(cfg, "other:1").empty());
}

TEST(Registry, LoopbackHosts) {
  EXPECT_TRUE(registry::is_loopback_host("127.0.0.1:5000"));
  EXPECT_TRUE(registry::is_loopback_host("localhost:5000"));
  EXPECT_TRUE(registry::is_loopback_host("[::1]:5000"));
  EXPECT_FALSE(registry::is_loopback_host("registry.example:5000"));
}

TEST(Registry, XRegistryAuthHeader) {
  std::string server;
  auto a = decode_registry_auth(
      registry::base64_encode(R"({"username":"u","password":"p","serveraddress":"h:1"})"), &server);
  EXPECT_EQ(a.username, "u");
  EXPECT_EQ(a.password, "p");
  EXPECT_EQ(server, "h:1");
}

TEST(Manifest, IndexAndPlatformSelection) {
  std::string idx = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
    "manifests":[
     {"digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":1,
      "platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
     {"digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":1,
      "platform":{"os":"linux","architecture":"amd64"}}]})";
  auto m = internal::parse_manifest(idx, "");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->is_index);
  auto arm = internal::select_platform(*m, *internal::parse_platform("linux/arm64"));
  ASSERT_TRUE(arm.ok());
  EXPECT_EQ(arm->substr(7, 4), "1111");
  auto amd = internal::select_platform(*m, *internal::parse_platform("linux/amd64"));
  EXPECT_EQ(amd->substr(7, 4), "2222");
  auto none = internal::select_platform(*m, *internal::parse_platform("linux/s390x"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message,
            "no matching manifest for linux/s390x in the manifest list entries");
}

TEST(Manifest, KeepsArtifactTypeAndRejectsSchema1) {
  auto m = internal::parse_manifest(
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
          "artifactType":"application/x.test",
          "config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,
                    "digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
          "layers":[]})",
      "");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->artifact_type, "application/x.test");
  EXPECT_FALSE(internal::parse_manifest(R"({"schemaVersion":1,"fsLayers":[]})", "").ok());
}

}  // namespace
}  // namespace berth::image
