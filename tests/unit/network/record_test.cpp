// Network records: what the old version wrote reads back and is written again byte for byte.
#include <gtest/gtest.h>

#include "base/json.h"
#include "model/network_json.h"
#include "model/record_network_json.h"
#include "network/controller.h"

namespace berth::network {
namespace {

// Records as berthd wrote them before the typed model
// (tests/integration/fixtures/dataroot_v0.json).
const char* kOldRecords[] = {
    R"({"Attachable":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Created":"2026-12-02T18:01:39.666759569Z","Driver":"bridge","EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Config":[{"Gateway":"10.136.251.1","Subnet":"10.136.251.0/24"}],"Driver":"default","Options":null},"Id":"ffed15bf700b54a20b97748644f5d99fe0a5e69bcc45ccf6ee419a1c30295334","Ingress":false,"Internal":false,"Labels":{},"Name":"bridge","Options":{"com.docker.network.bridge.default_bridge":"true","com.docker.network.bridge.enable_icc":"true","com.docker.network.bridge.enable_ip_masquerade":"true","com.docker.network.bridge.host_binding_ipv4":"0.0.0.0","com.docker.network.bridge.name":"bt74fb614d","com.docker.network.driver.mtu":"1500"},"Scope":"local","_bridge":"bt74fb614d","_cursor":176749315,"_taken":{"10.136.251.1":"gateway","10.136.251.3":"b29b2c5d6b41d7e897a7d08331e332d680bd2b959eafb4ae93dc20f809e1887a"}})",
    R"({"Attachable":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Created":"2026-12-02T18:01:39.667054247Z","Driver":"host","EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Config":[],"Driver":"default","Options":null},"Id":"c0e0f6a7bb334628c7639f1dde4ac6e45e33e5aa74283161c167999d5772c8e2","Ingress":false,"Internal":false,"Labels":{},"Name":"host","Options":{},"Scope":"local","_bridge":"","_cursor":0,"_taken":{}})",
    R"({"Attachable":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,"Created":"2026-12-02T18:01:39.895093385Z","Driver":"bridge","EnableIPv4":true,"EnableIPv6":false,"IPAM":{"Config":[{"Gateway":"10.231.7.1","Subnet":"10.231.7.0/24"}],"Driver":"default","Options":null},"Id":"64a64139b941ac0ad32c73a5ac33d2e4e24d63450fd47efc70cc3f3a0b1f037a","Ingress":false,"Internal":false,"Labels":{"tier":"front"},"Name":"v0net","Options":{},"Scope":"local","_bridge":"br-64a64139b941","_cursor":0,"_taken":{"10.231.7.1":"gateway"}})",
};

TEST(NetworkRecord, OldRecordsRoundTripByteForByte) {
  for (const char* text : kOldRecords) {
    auto rec = model::parse<NetworkRecord>(text, "network record");
    ASSERT_TRUE(rec.ok()) << rec.error().message;
    auto canonical = parse_json(text, "old record");
    ASSERT_TRUE(canonical.ok());
    EXPECT_EQ(model::dump(*rec), dump_json(*canonical));
  }
}

TEST(NetworkRecord, StateAndView) {
  auto rec = model::parse<NetworkRecord>(kOldRecords[0], "network record");
  ASSERT_TRUE(rec.ok());
  EXPECT_FALSE(rec->bridge.empty());
  EXPECT_EQ(rec->taken.size(), 2u);
  EXPECT_EQ(rec->cursor, 176749315u);
  model::Network view = network_view(*rec);
  Json j = model::to_json(view);
  EXPECT_TRUE(j.at("Containers").is_object() && j.at("Containers").empty());
  EXPECT_TRUE(j.at("IPAM").at("Options").is_null());
  for (auto& [k, v] : j.items()) EXPECT_NE(k[0], '_') << k;
  EXPECT_FALSE(j.contains("Peers"));
}

}  // namespace
}  // namespace berth::network
