// Volume records and Docker's Volume: old records read back and are written again byte for byte.
#include <gtest/gtest.h>

#include "base/json.h"
#include "model/volume_json.h"
#include "volume/volume.h"

namespace berth::volume {
namespace {

// Records as berthd wrote them before the typed model
// (tests/integration/fixtures/dataroot_v0.json).
const char* kOldRecords[] = {
    R"({"anonymous":false,"created":1796234499876959007,"driver":"local","labels":{"app":"web"},"mountpoint":"/tmp/berth-cap-m7gm55yo/data/volumes/v0data/_data","name":"v0data","options":{}})",
    R"({"anonymous":true,"created":1796234499913373639,"driver":"local","labels":{},"mountpoint":"/tmp/berth-cap-m7gm55yo/data/volumes/661eccb3e0f5a881164065ef7bb9cf621bf40477035c7a6dc8963ed84066b493/_data","name":"661eccb3e0f5a881164065ef7bb9cf621bf40477035c7a6dc8963ed84066b493","options":{}})",
};

TEST(VolumeRecord, OldRecordsRoundTripByteForByte) {
  for (const char* text : kOldRecords) {
    auto v = volume_from_record(text);
    ASSERT_TRUE(v.ok()) << v.error().message;
    auto canonical = parse_json(text, "old record");
    ASSERT_TRUE(canonical.ok());
    EXPECT_EQ(volume_to_record(*v), dump_json(*canonical));
  }
}

TEST(VolumeRecord, View) {
  auto v = volume_from_record(kOldRecords[0]);
  ASSERT_TRUE(v.ok());
  Json j = model::to_json(volume_view(*v));
  EXPECT_EQ(j.size(), 7u) << j.dump();
  EXPECT_EQ(j.at("Scope"), "local");
  EXPECT_TRUE(j.at("Options").is_object());
  EXPECT_TRUE(j.at("Labels").is_object());
  Volume bare;
  bare.name = "x";
  EXPECT_EQ(volume_to_record(bare).find("null"), std::string::npos) << volume_to_record(bare);
}

TEST(VolumeRecord, RecordWithoutNameIsDataLoss) {
  auto v = volume_from_record(R"({"driver":"local"})");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, Code::kDataLoss);
}

}  // namespace
}  // namespace berth::volume
