// Networks as the daemon keeps them: records in the metadata database (model::NetworkRecord:
// Docker's Network plus the IPAM state: taken addresses and the allocation cursor), their Linux
// bridges, the
// containers' network namespaces and veths, published ports (held host sockets + nftables) and
// the embedded DNS server.  Not thread-safe: the engine calls it under its own mutex.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/error.h"
#include "model/container.h"
#include "model/network.h"
#include "model/record_network.h"
#include "network/dns.h"
#include "network/firewall.h"
#include "network/ipam.h"
#include "network/port_reserve.h"
#include "store/db.h"

namespace berth::network {

struct ControllerOptions {
  std::string bridge = "berth0";
  std::string bip;                         // "172.17.0.1/16"; "" = from the pools, else that
  std::vector<std::string> default_pools;  // "base=10.10.0.0/16,size=24" (dockerd's syntax)
  bool iptables = true;
  std::string nft_table;  // derived from the bridge name when empty
  std::string netns_dir;  // <exec-root>/netns
};

using model::NetworkRecord;
// Docker's PortMap: "80/tcp" -> bindings (HostConfig.PortBindings, NetworkSettings.Ports).
using PortMap = model::Map<model::List<model::PortBinding>>;

class Controller {
 public:
  static Result<std::unique_ptr<Controller>> open(store::Db& db, const ControllerOptions& options,
                                                  DnsResolver resolver);
  ~Controller();

  // Docker's POST /networks/create body; returns the stored record.
  Result<NetworkRecord> create(const model::NetworkCreateRequest& request);
  Result<NetworkRecord> get(const std::string& ref);  // name, ID or unique ID prefix
  std::vector<NetworkRecord> list();
  Status remove(const NetworkRecord& network);  // REQUIRES: no endpoints (the engine checks)
  static bool predefined(const std::string& name) {
    return name == "bridge" || name == "host" || name == "none";
  }
  static bool user_defined(const model::Network& network) { return !predefined(network.name); }

  // IPAM: an address of the network for `owner` (preferred 0 = any), persisted.
  Result<uint32_t> allocate(const std::string& network_id, const std::string& owner,
                            uint32_t preferred);
  void release(const std::string& network_id, uint32_t ip);

  // A container's sandbox: its netns and one veth per network.
  std::string netns_path(const std::string& id) const { return options_.netns_dir + "/" + id; }
  Status create_sandbox(const std::string& id);
  void remove_sandbox(const std::string& id);
  // Brings the network's bridge up (lazily) and plugs a veth into the sandbox: returns the
  // host-side veth name.
  Result<std::string> attach(const std::string& id, const NetworkRecord& network, uint32_t ip,
                             const std::string& inner_name, bool default_route);
  void detach(const std::string& veth);

  // Published ports of container `id` at `container_ip` behind `bridge`: Docker's
  // HostConfig.PortBindings (+ ExposedPorts with -P); returns NetworkSettings.Ports.
  Result<PortMap> publish(const std::string& id, const std::string& name,
                          const std::string& container_ip, const std::string& bridge,
                          const PortMap& bindings, const model::Map<model::EmptyObject>& exposed,
                          bool publish_all);
  void unpublish(const std::string& id);
  // Rewrites the whole nftables table from the networks and published ports.
  Status sync_firewall();

  DnsServer& dns() { return *dns_; }
  const ControllerOptions& options() const { return options_; }

 private:
  Controller(store::Db& db, ControllerOptions options) : db_(db), options_(std::move(options)) {}
  Status ensure_defaults();
  Result<Subnet> pick_subnet(const std::string& except_id = "");
  // The default bridge's gateway and subnet: --bip, else (kept, or new) from the pools.
  Status default_bridge_address(Subnet* subnet, uint32_t* gateway);
  Status save(const NetworkRecord& network);
  std::vector<BridgeRules> firewall_bridges();
  // The table is rewritten only when the bridges it names changed since the last write.
  Status sync_bridges();
  store::Db& db_;
  ControllerOptions options_;
  std::vector<AddressPool> pools_;
  std::map<std::string, NetworkRecord> networks_;  // by ID
  struct Published {
    std::vector<PortRule> rules;
    std::vector<ReservedPort> held;
  };
  std::map<std::string, Published> published_;  // by container ID
  std::unique_ptr<Firewall> firewall_;          // null with --iptables=false
  std::vector<BridgeRules> applied_bridges_;    // as last written to the table
  bool applied_ = false;
  std::set<std::string> ready_bridges_;  // made, addressed and up by this daemon
  std::unique_ptr<DnsServer> dns_;
};

// Docker's GET /networks/{id} shape (Containers empty) from a stored record.
model::Network network_view(const NetworkRecord& record);

}  // namespace berth::network
