#include "network/ipam.h"

#include <gtest/gtest.h>

#include "network/dns.h"

namespace berth::network {
namespace {

TEST(Ipam, ParsesSubnets) {
  auto s = parse_subnet("10.1.0.0/16");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->str(), "10.1.0.0/16");
  EXPECT_FALSE(parse_subnet("10.1.0.1/16").ok());
  EXPECT_TRUE(parse_subnet("10.1.0.1/16", false).ok());
  EXPECT_FALSE(parse_subnet("10.1.0.0").ok());
}

TEST(Ipam, NeverHandsOutTakenOrGateway) {
  auto s = *parse_subnet("10.0.0.0/29");
  std::set<uint32_t> taken{*parse_ip("10.0.0.1")};
  uint32_t cursor = 0;
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i) {
    auto ip = allocate_ip(s, s, taken, 0, &cursor);
    ASSERT_TRUE(ip.ok());
    taken.insert(*ip);
    got.push_back(format_ip(*ip));
  }
  EXPECT_EQ(got.front(), "10.0.0.2");
  EXPECT_EQ(got.back(), "10.0.0.6");
  EXPECT_FALSE(allocate_ip(s, s, taken, 0, &cursor).ok());
  EXPECT_EQ(allocate_ip(s, s, taken, *parse_ip("10.0.0.3"), &cursor).error().code, Code::kConflict);
}

TEST(Ipam, RangeAndOverlap) {
  auto s = *parse_subnet("10.0.0.0/24");
  auto r = *parse_subnet("10.0.0.128/25");
  uint32_t cursor = 0;
  EXPECT_EQ(format_ip(*allocate_ip(s, r, {}, 0, &cursor)), "10.0.0.129");
  EXPECT_TRUE(s.overlaps(r));
  EXPECT_FALSE(s.overlaps(*parse_subnet("10.0.1.0/24")));
  EXPECT_EQ(mac_for_ip(*parse_ip("172.17.0.2")), "02:42:ac:11:00:02");
}

TEST(Ipam, AddressPools) {
  auto p = parse_address_pool("base=10.10.0.0/16,size=24");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->base.str(), "10.10.0.0/16");
  EXPECT_EQ(p->size, 24);
  auto subnets = pool_subnets({*p});
  ASSERT_EQ(subnets.size(), 256u);
  EXPECT_EQ(subnets[0].str(), "10.10.0.0/24");
  EXPECT_EQ(subnets[1].str(), "10.10.1.0/24");
  EXPECT_EQ(subnets.back().str(), "10.10.255.0/24");
  auto small = *parse_address_pool("base=10.1.2.0/24,size=26");
  ASSERT_EQ(pool_subnets({small, *p}).size(), 4u + 256u);
  EXPECT_EQ(pool_subnets({small})[3].str(), "10.1.2.192/26");
  EXPECT_EQ(parse_address_pool("base=10.20.0.0/16")->size, 24);
  EXPECT_FALSE(parse_address_pool("base=10.20.0.0/16,size=8").ok());
  EXPECT_FALSE(parse_address_pool("size=24").ok());
  EXPECT_FALSE(parse_address_pool("base=10.20.0.1/16,size=24").ok());
  EXPECT_FALSE(parse_address_pool("base=10.20.0.0/16,mask=24").ok());
  EXPECT_EQ(pool_subnets({}).front().str(), "172.18.0.0/16");
}

TEST(Dns, ParsesAndAnswers) {
  // id 0x1234, RD, one question "Web.Local" A IN
  std::string q("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  q += std::string("\x03Web\x05Local\x00\x00\x01\x00\x01", 15);
  std::string name;
  uint16_t type = 0;
  size_t end = 0;
  ASSERT_TRUE(parse_question(q, &name, &type, &end));
  EXPECT_EQ(name, "web.local");
  EXPECT_EQ(type, 1);
  std::string r = make_reply(q, end, {*parse_ip("10.0.0.5")}, false);
  EXPECT_EQ(r.size(), q.size() + 16);
  EXPECT_EQ(static_cast<unsigned char>(r[7]), 1);  // one answer
  EXPECT_EQ(r.substr(r.size() - 4), std::string("\x0a\x00\x00\x05", 4));
  EXPECT_EQ(nameservers("nameserver 127.0.0.53\nnameserver 10.0.0.1\n", true),
            std::vector<std::string>{"10.0.0.1"});
}

}  // namespace
}  // namespace berth::network
