// NAT and filtering in Berth's own nftables table (one per daemon, named after its bridge), so
// nothing another program made is touched.  The whole table is rewritten in one atomic nft
// transaction from the current state each time it changes: cheap at this scale, and a daemon
// restart rebuilds it the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"

namespace berth::network {

struct BridgeRules {
  std::string bridge;
  std::string subnet;  // "172.18.0.0/16"
  bool internal = false;
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
Status apply_firewall(const std::string& table, const FirewallState& state);
Status delete_firewall(const std::string& table);  // absent is fine

}  // namespace berth::network
