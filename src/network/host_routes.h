// The host's IPv4 routes, so that a network created without --subnet never takes a subnet the
// host already reaches another way (dockerd skips pool subnets that overlap a route, as a
// container network shadowing a LAN or VPN would cut the host off from it).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "network/ipam.h"

namespace berth::network {

// The destinations in /proc/net/route's text other than default routes and routes through
// `skip_ifaces` (Berth's own bridges, whose subnets the caller already counts).
std::vector<Subnet> parse_proc_net_route(std::string_view text,
                                         const std::set<std::string>& skip_ifaces);

// The same for this host's main table; empty when it cannot be read.
std::vector<Subnet> host_routes(const std::set<std::string>& skip_ifaces);

}  // namespace berth::network
