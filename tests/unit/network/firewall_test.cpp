#include "network/firewall.h"

#include <gtest/gtest.h>

namespace berth::network {
namespace {

TEST(Firewall, TableHoldsBridgesAndPortMaps) {
  FirewallState s;
  s.bridges = {{"br0", "10.1.0.0/24", false}, {"br1", "10.2.0.0/24", true}};
  s.ports = {{"tcp", "", 8080, "10.1.0.2", 80, "br0"},
             {"tcp", "127.0.0.1", 8081, "10.1.0.2", 81, "br0"},
             {"udp", "0.0.0.0", 53, "10.1.0.3", 5353, "br0"}};
  std::string t = firewall_script("berth_x", s);
  EXPECT_EQ(t.rfind("add table ip berth_x\ndelete table ip berth_x\n", 0), 0u);
  EXPECT_NE(t.find("elements = { 8080 : 10.1.0.2 . 80 }"), std::string::npos) << t;
  EXPECT_NE(t.find("elements = { 127.0.0.1 . 8081 : 10.1.0.2 . 81 }"), std::string::npos) << t;
  EXPECT_NE(t.find("elements = { 53 : 10.1.0.3 . 5353 }"), std::string::npos) << t;
  EXPECT_NE(t.find("dnat ip to ip daddr . tcp dport map @tcp_ip"), std::string::npos);
  EXPECT_NE(t.find("ip saddr 10.1.0.0/24 oifname != \"br0\" masquerade"), std::string::npos);
  // An internal network: no masquerade out, no forwarding past its bridge.
  EXPECT_EQ(t.find("ip saddr 10.2.0.0/24"), std::string::npos);
  EXPECT_NE(t.find("iifname \"br1\" oifname != \"br1\" drop"), std::string::npos);
}

TEST(Firewall, PortElementsAddAndDeleteByKey) {
  std::vector<PortRule> rules = {{"tcp", "", 8080, "10.1.0.2", 80, "br0"},
                                 {"udp", "127.0.0.1", 9000, "10.1.0.2", 90, "br0"},
                                 {"tcp", "::1", 8082, "10.1.0.2", 80, "br0"}};
  EXPECT_EQ(port_elements_script("t", rules, true),
            "add element ip t tcp_any { 8080 : 10.1.0.2 . 80 }\n"
            "add element ip t udp_ip { 127.0.0.1 . 9000 : 10.1.0.2 . 90 }\n");
  EXPECT_EQ(port_elements_script("t", rules, false),
            "delete element ip t tcp_any { 8080 }\n"
            "delete element ip t udp_ip { 127.0.0.1 . 9000 }\n");
  EXPECT_EQ(port_elements_script("t", {}, true), "");
}

}  // namespace
}  // namespace berth::network
