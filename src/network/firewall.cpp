#include "network/firewall.h"

#include <nftables/libnftables.h>

#include <map>

namespace berth::network {

namespace {
bool any_address(const PortRule& p) { return p.host_ip.empty() || p.host_ip == "0.0.0.0"; }

// The DNAT maps: <proto>_ip keyed by (local address . port) for -p ip:port:port, <proto>_any
// keyed by port alone; both map to (container address . port).
std::string map_name(const PortRule& p) {
  return (p.proto == "udp" ? "udp" : "tcp") + std::string(any_address(p) ? "_any" : "_ip");
}

std::string element_key(const PortRule& p) {
  return (any_address(p) ? "" : p.host_ip + " . ") + std::to_string(p.host_port);
}

std::string element(const PortRule& p) {
  return element_key(p) + " : " + p.container_ip + " . " + std::to_string(p.container_port);
}

// The table is `ip` only: an IPv6 host address has no place in it.
bool ipv4_rule(const PortRule& p) { return p.host_ip.find(':') == std::string::npos; }
}  // namespace

std::string firewall_script(const std::string& table, const FirewallState& s) {
  std::string t = "table ip " + table;
  std::map<std::string, std::vector<std::string>> elements;
  for (auto& p : s.ports)
    if (ipv4_rule(p)) elements[map_name(p)].push_back(element(p));
  // "add" then "delete" so the delete never fails on a missing table: one transaction.
  std::string out = "add " + t + "\ndelete " + t + "\n" + t + " {\n";
  for (const char* proto : {"tcp", "udp"}) {
    for (const char* kind : {"_ip", "_any"}) {
      std::string name = std::string(proto) + kind;
      out += "  map " + name + " {\n    type " +
             (std::string(kind) == "_ip" ? "ipv4_addr . " : "") +
             "inet_service : ipv4_addr . inet_service\n";
      auto& els = elements[name];
      if (!els.empty()) {
        out += "    elements = { ";
        for (size_t i = 0; i < els.size(); ++i) out += (i ? ", " : "") + els[i];
        out += " }\n";
      }
      out += "  }\n";
    }
  }
  // A lookup miss ends the rule, so each map is tried in turn; a specific address first.
  out += "  chain ports {\n";
  for (const char* proto : {"tcp", "udp"}) {
    std::string p = proto;
    out += "    dnat ip to ip daddr . " + p + " dport map @" + p + "_ip\n";
    out += "    dnat ip to " + p + " dport map @" + p + "_any\n";
  }
  out += "  }\n";
  out +=
      "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n"
      "    fib daddr type local jump ports\n  }\n";
  out +=
      "  chain output {\n    type nat hook output priority -100; policy accept;\n"
      "    fib daddr type local jump ports\n  }\n";
  out += "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n";
  for (auto& b : s.bridges) {
    if (!b.internal)
      out += "    ip saddr " + b.subnet + " oifname != \"" + b.bridge + "\" masquerade\n";
    out += "    ip saddr 127.0.0.0/8 oifname \"" + b.bridge + "\" masquerade\n";
  }
  out += "  }\n";
  out += "  chain forward {\n    type filter hook forward priority filter; policy accept;\n";
  for (auto& b : s.bridges) {
    if (!b.internal) continue;
    out += "    iifname \"" + b.bridge + "\" oifname != \"" + b.bridge + "\" drop\n";
    out += "    oifname \"" + b.bridge + "\" iifname != \"" + b.bridge + "\" drop\n";
  }
  out += "  }\n}\n";
  return out;
}

std::string port_elements_script(const std::string& table, const std::vector<PortRule>& rules,
                                 bool add) {
  std::string out;
  for (auto& p : rules) {
    if (!ipv4_rule(p)) continue;
    out += std::string(add ? "add" : "delete") + " element ip " + table + " " + map_name(p) +
           " { " + (add ? element(p) : element_key(p)) + " }\n";
  }
  return out;
}

Result<std::unique_ptr<Firewall>> Firewall::open(std::string table) {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx) return make_error(Code::kInternal, "open nftables: nft_ctx_new failed");
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  return std::unique_ptr<Firewall>(new Firewall(std::move(table), ctx));
}

Firewall::~Firewall() { nft_ctx_free(ctx_); }

Status Firewall::run(const std::string& script, const std::string& what) {
  if (script.empty()) return ok_status();
  if (nft_run_cmd_from_buffer(ctx_, script.c_str()) != 0) {
    std::string err = nft_ctx_get_error_buffer(ctx_);
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return make_error(Code::kInternal, what + ": " + err);
  }
  return ok_status();
}

Status Firewall::apply(const FirewallState& state) {
  return run(firewall_script(table_, state), "program nftables table " + table_);
}

Status Firewall::add_ports(const std::vector<PortRule>& rules) {
  return run(port_elements_script(table_, rules, true), "add port mappings to " + table_);
}

Status Firewall::remove_ports(const std::vector<PortRule>& rules) {
  return run(port_elements_script(table_, rules, false), "remove port mappings from " + table_);
}

}  // namespace berth::network
