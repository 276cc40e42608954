#include "network/host_routes.h"

#include <cstdlib>

#include "base/file.h"
#include "base/strings.h"

namespace berth::network {

namespace {
// /proc/net/route prints addresses as the kernel's 32-bit words in hex: network order read as a
// little-endian number, so the bytes come reversed.
bool parse_hex_word(const std::string& hex, uint32_t* host_order) {
  char* end = nullptr;
  unsigned long v = std::strtoul(hex.c_str(), &end, 16);
  if (hex.empty() || *end != '\0') return false;
  auto raw = static_cast<uint32_t>(v);
  *host_order = ((raw & 0xff) << 24) | ((raw & 0xff00) << 8) | ((raw >> 8) & 0xff00) | (raw >> 24);
  return true;
}

int prefix_of(uint32_t mask) {
  int p = 0;
  while (p < 32 && (mask & (uint32_t{1} << (31 - p)))) ++p;
  return p;
}
}  // namespace

std::vector<Subnet> parse_proc_net_route(std::string_view text,
                                         const std::set<std::string>& skip_ifaces) {
  std::vector<Subnet> out;
  bool header = true;
  for (const std::string& line : split(std::string(text), '\n')) {
    if (header) {  // "Iface Destination Gateway Flags RefCnt Use Metric Mask ..."
      header = false;
      continue;
    }
    std::vector<std::string> f;
    for (const std::string& w : split(line, '\t')) {
      std::string t = trim(w);
      if (!t.empty()) f.push_back(t);
    }
    if (f.size() < 8 || skip_ifaces.count(f[0])) continue;
    uint32_t dest = 0, mask = 0;
    if (!parse_hex_word(f[1], &dest) || !parse_hex_word(f[7], &mask)) continue;
    if (mask == 0) continue;  // a default route overlaps everything: not a reason to skip
    out.push_back(Subnet{dest & mask, prefix_of(mask)});
  }
  return out;
}

std::vector<Subnet> host_routes(const std::set<std::string>& skip_ifaces) {
  auto text = read_file("/proc/net/route");
  if (!text) return {};
  return parse_proc_net_route(*text, skip_ifaces);
}

}  // namespace berth::network
