#include "base/digest.h"
#include "base/json.h"
#include "base/strings.h"
#include "image/internal/image_record.h"
#include "image/internal/manifest.h"

namespace berth::image::internal {

Platform host_platform() {
#if defined(__aarch64__)
  return {"linux", "arm64", "v8"};
#elif defined(__arm__)
  return {"linux", "arm", "v7"};
#else
  return {"linux", "amd64", ""};
#endif
}

Result<Platform> parse_platform(const std::string& text) {
  if (text.empty()) return host_platform();
  auto parts = split(to_lower(text), '/');
  Platform p;
  if (parts.size() == 1) {
    p = {"linux", parts[0], ""};
  } else if (parts.size() == 2 || parts.size() == 3) {
    p = {parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
  } else {
    return make_error(
        Code::kInvalidArgument,
        "\"" + text + "\": unknown operating system or architecture: invalid argument");
  }
  if (p.os.empty() || p.architecture.empty())
    return make_error(
        Code::kInvalidArgument,
        "\"" + text + "\": unknown operating system or architecture: invalid argument");
  if (p.architecture == "x86_64" || p.architecture == "x86-64") p.architecture = "amd64";
  if (p.architecture == "aarch64") p.architecture = "arm64";
  return p;
}

namespace {
Descriptor descriptor(const Json& d) {
  Descriptor out;
  out.media_type = json_string(d, "mediaType");
  out.digest = json_string(d, "digest");
  if (d.contains("size") && d["size"].is_number_integer()) out.size = d["size"].get<int64_t>();
  if (d.contains("platform") && d["platform"].is_object()) {
    out.platform.os = json_string(d["platform"], "os");
    out.platform.architecture = json_string(d["platform"], "architecture");
    out.platform.variant = json_string(d["platform"], "variant");
  }
  return out;
}
Error bad(const std::string& why) {
  return make_error(Code::kInvalidArgument, "invalid manifest: " + why);
}
}  // namespace

Result<ParsedManifest> parse_manifest(const std::string& body, const std::string& content_type) {
  BERTH_TRY_ASSIGN(Json j, parse_json(body, "manifest"));
  if (!j.is_object()) return bad("not an object");
  ParsedManifest m;
  m.media_type = json_string(j, "mediaType", content_type);
  m.artifact_type = json_string(j, "artifactType");
  if (j.value("schemaVersion", 0) == 1 ||
      m.media_type.find("manifest.v1+prettyjws") != std::string::npos ||
      m.media_type == "application/vnd.docker.distribution.manifest.v1+json")
    return make_error(Code::kInvalidArgument,
                      "Docker Image Format v1 and Docker Image manifest version 2, schema 1 "
                      "support has been removed");
  if (j.contains("manifests")) {
    if (!j["manifests"].is_array()) return bad("manifests is not a list");
    m.is_index = true;
    if (m.media_type.empty()) m.media_type = kOciIndex;
    for (auto& d : j["manifests"]) {
      Descriptor e = descriptor(d);
      if (!is_valid_digest(e.digest)) return bad("index entry with a bad digest");
      m.manifests.push_back(e);
    }
    return m;
  }
  if (!j.contains("config") || !j["config"].is_object() || !j.contains("layers") ||
      !j["layers"].is_array())
    return bad("no config or layers");
  if (m.media_type.empty()) m.media_type = kOciManifest;
  Descriptor c = descriptor(j["config"]);
  if (!is_valid_digest(c.digest)) return bad("bad config digest");
  m.config_media_type = c.media_type;
  m.config_digest = c.digest;
  m.config_size = c.size;
  for (auto& d : j["layers"]) {
    Descriptor l = descriptor(d);
    if (!is_valid_digest(l.digest)) return bad("bad layer digest " + l.digest);
    if (l.media_type.empty()) l.media_type = kOciLayerGzip;
    m.layers.push_back(l);
  }
  return m;
}

Result<std::string> select_platform(const ParsedManifest& index, const Platform& want) {
  auto norm_variant = [](const Platform& p) {
    if (p.architecture == "arm64" && p.variant == "v8") return std::string();
    return p.variant;
  };
  const Descriptor* loose = nullptr;
  for (auto& e : index.manifests) {
    if (e.platform.os != want.os || e.platform.architecture != want.architecture) continue;
    if (norm_variant(e.platform) == norm_variant(want)) return e.digest;
    if (!loose && (want.variant.empty() || e.platform.variant.empty())) loose = &e;
  }
  if (loose) return loose->digest;
  return make_error(Code::kNotFound,
                    "no matching manifest for " + want.str() + " in the manifest list entries");
}

}  // namespace berth::image::internal
