// The image store's records (model::ImageStoreRecord): records the old version wrote read back
// and are written again byte for byte.
#include "image/internal/image_record.h"

#include <gtest/gtest.h>

#include "base/json.h"

namespace berth::image::internal {
namespace {

// As the version before the typed model wrote them (nlohmann, keys sorted; parent only when set).
const char* kOldRecords[] = {
    R"({"config_digest":"sha256:aa","created":"2026-12-02T18:01:39Z","id":"sha256:aa",)"
    R"("layers":[{"diff_id":"sha256:dd","digest":"sha256:bb","media_type":)"
    R"("application/vnd.docker.image.rootfs.diff.tar.gzip","size":123,"uncompressed_size":456}],)"
    R"("manifest_digest":"sha256:mm","manifest_media_type":)"
    R"("application/vnd.docker.distribution.manifest.v2+json","repo_digests":[],)"
    R"("repo_tags":["docker.io/library/busybox:latest"]})",
    R"({"config_digest":"sha256:cc","created":"","id":"sha256:cc","layers":[],)"
    R"("manifest_digest":"","manifest_media_type":"","parent":"sha256:aa","repo_digests":[],)"
    R"("repo_tags":[]})",
};

TEST(ImageRecord, OldRecordsRoundTripByteForByte) {
  for (const char* text : kOldRecords) {
    auto rec = record_from_json(text);
    ASSERT_TRUE(rec.ok()) << rec.error().message;
    auto canonical = parse_json(text, "old record");
    ASSERT_TRUE(canonical.ok());
    EXPECT_EQ(record_to_json(*rec), dump_json(*canonical));
  }
  auto rec = record_from_json(kOldRecords[0]);
  ASSERT_TRUE(rec.ok());
  ASSERT_EQ(rec->layers.size(), 1u);
  EXPECT_EQ(rec->layers[0].uncompressed_size, 456);
  EXPECT_TRUE(rec->parent.empty());
}

}  // namespace
}  // namespace berth::image::internal
