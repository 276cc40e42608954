// IPv4 address management: subnets, and which addresses of one are taken.  Pure logic; the
// controller persists the taken set with the network so nothing is handed out twice, across
// daemon restarts too.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/error.h"

namespace berth::network {

struct Subnet {
  uint32_t base = 0;  // host order, masked
  int prefix = 0;
  uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  bool contains(uint32_t ip) const { return (ip & mask()) == base; }
  bool overlaps(const Subnet& o) const {
    int p = prefix < o.prefix ? prefix : o.prefix;
    uint32_t m = p == 0 ? 0 : ~uint32_t{0} << (32 - p);
    return (base & m) == (o.base & m);
  }
  uint32_t first_host() const { return base + 1; }
  uint32_t last_host() const { return (base | ~mask()) - 1; }  // below broadcast
  std::string str() const;                                     // "172.18.0.0/16"
};

Result<uint32_t> parse_ip(const std::string& text);  // "10.0.0.1" -> host order
std::string format_ip(uint32_t ip);
// "10.1.0.0/16"; with `strict`, host bits set are an error (Docker's "invalid subnet").
Result<Subnet> parse_subnet(const std::string& text, bool strict = true);

// Picks an address of `range` (within `subnet`) not in `taken`; `preferred` (0 = any) must be
// free.  Hands out addresses in order after the last one given, like libnetwork's bitmap.
Result<uint32_t> allocate_ip(const Subnet& subnet, const Subnet& range,
                             const std::set<uint32_t>& taken, uint32_t preferred, uint32_t* cursor);

// A --default-address-pool: networks of /`size` carved from `base`.
struct AddressPool {
  Subnet base;
  int size = 24;
};
// dockerd's flag syntax "base=10.10.0.0/16,size=24" (size defaults to 24, or the base's own
// prefix when that is longer).
Result<AddressPool> parse_address_pool(const std::string& spec);
// The subnets a network without --subnet may get, in order: the pools' (up to `limit` each), or
// Docker's predefined 172.18-31.0.0/16 then 192.168.x.0/20 when no pool is given.
std::vector<Subnet> pool_subnets(const std::vector<AddressPool>& pools, size_t limit = 4096);

// Docker's MAC for an IPv4 address: 02:42 then the four bytes.
std::string mac_for_ip(uint32_t ip);

}  // namespace berth::network
