// NAT and filtering in Berth's own nftables table (one per daemon, named after its bridge), so
// nothing another program made is touched.  The table is written whole, in one atomic nft
// transaction, at daemon start and when the set of bridges changes; published ports are
// elements of DNAT maps in it, added and deleted per container in one small transaction, so a
// container start neither rebuilds the table nor re-reads the ruleset.  Deleting the table
// (the old way of rewriting it) makes the kernel wait an RCU grace period when the netlink
// socket closes, ~10 ms a start: the one nft context lives as long as the daemon.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"

struct nft_ctx;

namespace berth::network {

struct BridgeRules {
  std::string bridge;
  std::string subnet;  // "172.18.0.0/16"
  bool internal = false;
  bool operator==(const BridgeRules&) const = default;
};

struct PortRule {
  std::string proto;    // "tcp" | "udp"
  std::string host_ip;  // "" or "0.0.0.0" = every local address
  int host_port = 0;
  std::string container_ip;
  int container_port = 0;
  std::string bridge;
};

struct FirewallState {
  std::vector<BridgeRules> bridges;
  std::vector<PortRule> ports;
};

// The nft script that replaces table `ip <table>` with `state`.
std::string firewall_script(const std::string& table, const FirewallState& state);
// The nft script that adds (or deletes) the DNAT map elements of `rules`.
std::string port_elements_script(const std::string& table, const std::vector<PortRule>& rules,
                                 bool add);

// The daemon's table.  Not thread-safe (the network controller's caller serialises).
class Firewall {
 public:
  static Result<std::unique_ptr<Firewall>> open(std::string table);
  ~Firewall();
  Status apply(const FirewallState& state);  // the whole table, atomically
  Status add_ports(const std::vector<PortRule>& rules);
  Status remove_ports(const std::vector<PortRule>& rules);

 private:
  Firewall(std::string table, nft_ctx* ctx) : table_(std::move(table)), ctx_(ctx) {}
  Status run(const std::string& script, const std::string& what);
  std::string table_;
  nft_ctx* ctx_;
};

}  // namespace berth::network
