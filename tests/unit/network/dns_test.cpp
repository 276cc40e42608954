#include "network/dns.h"

#include <gtest/gtest.h>

#include "network/ipam.h"

namespace berth::network {
namespace {

std::string query_for(const std::string& label) {
  std::string q("\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  q += static_cast<char>(label.size()) + label + std::string("\x00\x00\x01\x00\x01", 5);
  return q;
}

TEST(Dns, SmallUdpRepliesGoOutWhole) {
  std::string q = query_for("web");
  std::string name;
  uint16_t type = 0;
  size_t end = 0;
  ASSERT_TRUE(parse_question(q, &name, &type, &end));
  std::string r = make_reply(q, end, {*parse_ip("10.0.0.5")}, false);
  EXPECT_EQ(truncate_for_udp(r, end), r);
}

TEST(Dns, BigUdpRepliesAreTruncatedToTheQuestion) {
  std::string q = query_for("many");
  std::string name;
  uint16_t type = 0;
  size_t end = 0;
  ASSERT_TRUE(parse_question(q, &name, &type, &end));
  std::vector<uint32_t> ips;
  for (uint32_t i = 1; i <= 40; ++i) ips.push_back(*parse_ip("10.0.0.0") + i);
  std::string r = make_reply(q, end, ips, false);
  ASSERT_GT(r.size(), kDnsUdpMax);
  EXPECT_EQ(static_cast<unsigned char>(r[7]), 40);  // the whole answer, as TCP sends it
  std::string t = truncate_for_udp(r, end);
  EXPECT_EQ(t.size(), end);
  EXPECT_TRUE(t[2] & 0x02);  // TC
  EXPECT_TRUE(t[2] & 0x80);  // still a reply
  EXPECT_EQ(t[7], 0);        // no answers
  EXPECT_EQ(t.substr(0, 2), "\xab\xcd");
}

}  // namespace
}  // namespace berth::network
