#include "network/host_routes.h"

#include <gtest/gtest.h>

namespace berth::network {
namespace {

constexpr const char* kTable =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
    "wg0\t000012AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
    "br-1\t000013AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";

TEST(HostRoutes, ParsesDestinationsSkippingDefaultAndOwnBridges) {
  auto routes = parse_proc_net_route(kTable, {"br-1"});
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].str(), "192.0.2.0/24");
  EXPECT_EQ(routes[1].str(), "172.18.0.0/16");  // a VPN's route: pools must step over it
}

TEST(HostRoutes, GarbageLinesAreIgnored) {
  EXPECT_TRUE(parse_proc_net_route("Iface\tDestination\nbad line\n", {}).empty());
  EXPECT_TRUE(parse_proc_net_route("", {}).empty());
}

}  // namespace
}  // namespace berth::network
