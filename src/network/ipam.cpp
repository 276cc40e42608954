#include "network/ipam.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

#include "base/strings.h"

namespace berth::network {

Result<uint32_t> parse_ip(const std::string& text) {
  in_addr a;
  if (::inet_pton(AF_INET, text.c_str(), &a) != 1)
    return make_error(Code::kInvalidArgument, "invalid IP address: " + text);
  return ntohl(a.s_addr);
}

std::string format_ip(uint32_t ip) {
  in_addr a{htonl(ip)};
  char buf[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

std::string Subnet::str() const { return format_ip(base) + "/" + std::to_string(prefix); }

Result<Subnet> parse_subnet(const std::string& text, bool strict) {
  auto slash = text.find('/');
  long long prefix = 0;
  if (slash == std::string::npos || !parse_int64(text.substr(slash + 1), &prefix) || prefix < 0 ||
      prefix > 32)
    return make_error(Code::kInvalidArgument, "invalid CIDR address: " + text);
  auto ip = parse_ip(text.substr(0, slash));
  if (!ip) return make_error(Code::kInvalidArgument, "invalid CIDR address: " + text);
  Subnet s;
  s.prefix = static_cast<int>(prefix);
  s.base = *ip & s.mask();
  if (strict && s.base != *ip)
    return make_error(Code::kInvalidArgument,
                      "invalid subnet " + text + ": it should be " + s.str());
  return s;
}

Result<uint32_t> allocate_ip(const Subnet& subnet, const Subnet& range,
                             const std::set<uint32_t>& taken, uint32_t preferred,
                             uint32_t* cursor) {
  if (preferred) {
    if (!subnet.contains(preferred))
      return make_error(Code::kInvalidArgument,
                        "no configured subnet or ip-range contain the IP "
                        "address " +
                            format_ip(preferred));
    if (taken.count(preferred)) return make_error(Code::kConflict, "Address already in use");
    return preferred;
  }
  uint32_t lo = std::max(range.first_host(), subnet.first_host());
  uint32_t hi = std::min(range.prefix >= 31 ? range.base | ~range.mask() : range.last_host(),
                         subnet.last_host());
  if (lo > hi) return make_error(Code::kUnavailable, "no available IPv4 addresses on this network");
  uint32_t span = hi - lo + 1;
  uint32_t start = (*cursor >= lo && *cursor <= hi) ? *cursor - lo + 1 : 0;
  for (uint32_t i = 0; i < span; ++i) {
    uint32_t ip = lo + (start + i) % span;
    if (!taken.count(ip)) {
      *cursor = ip;
      return ip;
    }
  }
  return make_error(Code::kUnavailable,
                    "no available IPv4 addresses on this network's address pools");
}

std::string mac_for_ip(uint32_t ip) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "02:42:%02x:%02x:%02x:%02x", (ip >> 24) & 0xff, (ip >> 16) & 0xff,
                (ip >> 8) & 0xff, ip & 0xff);
  return buf;
}

Result<AddressPool> parse_address_pool(const std::string& spec) {
  auto bad = [&](const std::string& why) {
    return make_error(Code::kInvalidArgument,
                      "invalid default address pool \"" + spec + "\": " + why);
  };
  std::string base;
  long long size = -1;
  for (auto& field : split(spec, ',')) {
    auto eq = field.find('=');
    std::string key = to_lower(trim(field.substr(0, eq)));
    std::string value = eq == std::string::npos ? "" : trim(field.substr(eq + 1));
    if (key == "base")
      base = value;
    else if (key == "size") {
      if (!parse_int64(value, &size) || size < 0 || size > 32) return bad("invalid size " + value);
    } else
      return bad("unexpected key " + key);
  }
  if (base.empty()) return bad("no base");
  auto subnet = parse_subnet(base);
  if (!subnet) return bad(subnet.error().message);
  AddressPool pool{*subnet, size >= 0 ? static_cast<int>(size) : std::max(24, subnet->prefix)};
  if (pool.size < pool.base.prefix)
    return bad("size /" + std::to_string(pool.size) + " is bigger than the base " + base);
  return pool;
}

std::vector<Subnet> pool_subnets(const std::vector<AddressPool>& pools, size_t limit) {
  std::vector<Subnet> out;
  for (auto& p : pools) {
    uint64_t step = uint64_t{1} << (32 - p.size);
    uint64_t end = uint64_t{p.base.base} + (uint64_t{1} << (32 - p.base.prefix));
    size_t n = 0;
    for (uint64_t b = p.base.base; b < end && n < limit; b += step, ++n)
      out.push_back({static_cast<uint32_t>(b), p.size});
  }
  if (!pools.empty()) return out;
  // 172.17/16 is the default bridge's (and dockerd's docker0's, if one runs beside us).
  for (uint32_t i = 18; i <= 31; ++i) out.push_back({(172u << 24) | (i << 16), 16});
  for (uint32_t i = 0; i < 256; i += 16)
    out.push_back({(192u << 24) | (168u << 16) | (i << 8), 20});
  return out;
}

}  // namespace berth::network
