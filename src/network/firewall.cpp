#include "network/firewall.h"

#include <nftables/libnftables.h>

#include <memory>

namespace berth::network {

namespace {
Status run_nft(const std::string& script, const std::string& what) {
  std::unique_ptr<nft_ctx, void (*)(nft_ctx*)> ctx(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
  if (!ctx) return make_error(Code::kInternal, what + ": nft_ctx_new failed");
  nft_ctx_buffer_output(ctx.get());
  nft_ctx_buffer_error(ctx.get());
  if (nft_run_cmd_from_buffer(ctx.get(), script.c_str()) != 0) {
    std::string err = nft_ctx_get_error_buffer(ctx.get());
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return make_error(Code::kInternal, what + ": " + err);
  }
  return ok_status();
}
}  // namespace

std::string firewall_script(const std::string& table, const FirewallState& s) {
  std::string t = "table ip " + table;
  // "add" then "delete" so the delete never fails on a missing table: one transaction.
  std::string out = "add " + t + "\ndelete " + t + "\n" + t + " {\n";
  out += "  chain ports {\n";
  for (auto& p : s.ports) {
    std::string match = p.host_ip.empty() || p.host_ip == "0.0.0.0" ? std::string("")
                                                                    : "ip daddr " + p.host_ip + " ";
    out += "    " + match + p.proto + " dport " + std::to_string(p.host_port) + " dnat to " +
           p.container_ip + ":" + std::to_string(p.container_port) + "\n";
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

Status apply_firewall(const std::string& table, const FirewallState& state) {
  return run_nft(firewall_script(table, state), "program nftables table " + table);
}

Status delete_firewall(const std::string& table) {
  return run_nft("add table ip " + table + "\ndelete table ip " + table + "\n",
                 "delete nftables table " + table);
}

}  // namespace berth::network
