#include "network/controller.h"

#include <algorithm>
#include <set>

#include "base/file.h"
#include "base/log.h"
#include "base/random_id.h"
#include "base/strings.h"
#include "base/time.h"
#include "model/record_network_json.h"
#include "network/host_routes.h"
#include "network/netlink.h"

namespace berth::network {

namespace {
constexpr const char* kBridgeNameOpt = "com.docker.network.bridge.name";

model::IPAMConfig ipam_config(const Subnet& subnet, uint32_t gateway, const std::string& range) {
  model::IPAMConfig c;
  c.subnet = subnet.str();
  c.gateway = format_ip(gateway);
  c.ip_range = range;
  return c;
}

// A null List or Map made `[]`/`{}`, as the old records have them.
template <class C>
void present(C& c) {
  if (c.is_null()) c.set_empty();
}

// The members every record has; IPAM.Options stays null, Options and Labels `{}` when empty.
NetworkRecord new_record(const std::string& name, const std::string& id,
                         model::List<model::IPAMConfig> ipam_configs, bool internal,
                         model::Map<std::string> labels, model::Map<std::string> options,
                         const std::string& bridge) {
  NetworkRecord r;
  r.name = name;
  r.id = id;
  r.created = format_rfc3339_nano(now_nanos());
  r.scope = "local";
  r.driver = name == "host" ? "host" : name == "none" ? "null" : "bridge";
  r.enable_ipv4 = true;
  r.ipam.driver = "default";
  r.ipam.config = std::move(ipam_configs);
  present(r.ipam.config);
  r.internal = internal;
  r.options = std::move(options);
  present(r.options);
  r.labels = std::move(labels);
  present(r.labels);
  r.bridge = bridge;
  present(r.taken);
  return r;
}

const model::IPAMConfig& first_config(const NetworkRecord& n) {
  static const model::IPAMConfig kNone;
  return n.ipam.config.empty() ? kNone : n.ipam.config[0];
}
}  // namespace

model::Network network_view(const NetworkRecord& record) {
  model::Network out = record;
  out.containers.set_empty();
  return out;
}

Result<std::unique_ptr<Controller>> Controller::open(store::Db& db,
                                                     const ControllerOptions& options,
                                                     DnsResolver resolver) {
  std::unique_ptr<Controller> c(new Controller(db, options));
  if (c->options_.nft_table.empty()) c->options_.nft_table = "berth_" + options.bridge;
  for (auto& ch : c->options_.nft_table)
    if (!isalnum(static_cast<unsigned char>(ch)) && ch != '_') ch = '_';
  BERTH_TRY_CTX(make_dirs(options.netns_dir, 0711), "open networks");
  for (auto& spec : options.default_pools) {
    BERTH_TRY_ASSIGN(AddressPool pool, parse_address_pool(spec));
    c->pools_.push_back(pool);
  }
  BERTH_TRY_ASSIGN(auto rows, db.list(store::Table::kNetworks));
  for (auto& [id, text] : rows) {
    auto rec = model::parse<NetworkRecord>(text, "network record");
    if (rec) c->networks_[id] = std::move(*rec);
  }
  BERTH_TRY(c->ensure_defaults());
  if (c->options_.iptables) {
    BERTH_TRY_ASSIGN(c->firewall_, Firewall::open(c->options_.nft_table));
    BERTH_TRY(c->sync_firewall());
  }
  auto resolv = read_file("/etc/resolv.conf");
  c->dns_ =
      std::make_unique<DnsServer>(std::move(resolver), nameservers(resolv ? *resolv : "", false));
  return c;
}

Controller::~Controller() = default;

Status Controller::save(const NetworkRecord& network) {
  const std::string& id = network.id;
  BERTH_TRY(db_.put(store::Table::kNetworks, id, model::dump(network)));
  networks_[id] = network;
  return ok_status();
}

Status Controller::default_bridge_address(Subnet* subnet, uint32_t* gateway) {
  std::string bip = options_.bip;
  if (bip.empty() && pools_.empty()) bip = "172.17.0.1/16";
  if (!bip.empty()) {
    BERTH_TRY_ASSIGN(*subnet, parse_subnet(bip, false));
    BERTH_TRY_ASSIGN(*gateway, parse_ip(bip.substr(0, bip.find('/'))));
    return ok_status();
  }
  // dockerd without --bip: the first free subnet of the pools, kept across restarts.
  std::string except;
  if (auto existing = get("bridge"); existing && existing->bridge == options_.bridge) {
    const model::IPAMConfig& cfg = first_config(*existing);
    auto s = parse_subnet(cfg.subnet, false);
    auto g = parse_ip(cfg.gateway);
    if (s && g && std::any_of(pools_.begin(), pools_.end(), [&](const AddressPool& p) {
          return p.base.contains(s->base) && s->prefix == p.size;
        })) {
      *subnet = *s;
      *gateway = *g;
      return ok_status();
    }
    except = existing->id;
  }
  BERTH_TRY_ASSIGN(*subnet, pick_subnet(except));
  *gateway = subnet->first_host();
  return ok_status();
}

Status Controller::ensure_defaults() {
  Subnet subnet;
  uint32_t gateway = 0;
  BERTH_TRY(default_bridge_address(&subnet, &gateway));
  for (const char* name : {"bridge", "host", "none"}) {
    auto existing = get(name);
    if (existing) {
      // --bip or --bridge changed since: the default bridge follows the daemon's flags.
      if (std::string(name) != "bridge" ||
          (existing->bridge == options_.bridge && !existing->ipam.config.empty() &&
           existing->ipam.config[0].subnet == subnet.str()))
        continue;
      // ...unless containers still hold addresses on it.
      bool in_use = false;
      for (auto& [ip, owner] : existing->taken) in_use = in_use || owner != "gateway";
      if (in_use) continue;
      networks_.erase(existing->id);
      (void)db_.remove(store::Table::kNetworks, existing->id);
    }
    model::List<model::IPAMConfig> configs;
    model::Map<std::string> opts;
    if (std::string(name) == "bridge") {
      configs.push_back(ipam_config(subnet, gateway, ""));
      opts = {{"com.docker.network.bridge.default_bridge", "true"},
              {"com.docker.network.bridge.enable_icc", "true"},
              {"com.docker.network.bridge.enable_ip_masquerade", "true"},
              {"com.docker.network.bridge.host_binding_ipv4", "0.0.0.0"},
              {kBridgeNameOpt, options_.bridge},
              {"com.docker.network.driver.mtu", "1500"}};
    }
    NetworkRecord rec = new_record(name, random_hex_id(), configs, false, {}, opts,
                                   std::string(name) == "bridge" ? options_.bridge : "");
    if (std::string(name) == "bridge") rec.taken[format_ip(gateway)] = "gateway";
    BERTH_TRY(save(rec));
  }
  return ok_status();
}

Result<NetworkRecord> Controller::get(const std::string& ref) {
  for (auto& [id, n] : networks_)
    if (n.name == ref || id == ref) return n;
  const NetworkRecord* found = nullptr;
  for (auto& [id, n] : networks_) {
    if (!ref.empty() && id.rfind(ref, 0) == 0) {
      if (found)
        return make_error(Code::kInvalidArgument,
                          "network " + ref + " is ambiguous (2 matches found on name)");
      found = &n;
    }
  }
  if (!found) return make_error(Code::kNotFound, "network " + ref + " not found");
  return *found;
}

std::vector<NetworkRecord> Controller::list() {
  std::vector<NetworkRecord> out;
  for (auto& [id, n] : networks_) out.push_back(n);
  return out;
}

Result<Subnet> Controller::pick_subnet(const std::string& except_id) {
  std::vector<Subnet> used;
  std::set<std::string> own_bridges;
  for (auto& [id, n] : networks_) {
    own_bridges.insert(n.bridge);
    if (id != except_id)
      for (auto& c : n.ipam.config)
        if (auto s = parse_subnet(c.subnet, false); s) used.push_back(*s);
  }
  // As dockerd: never a subnet the host already routes elsewhere (a LAN, a VPN).
  for (auto& r : host_routes(own_bridges)) used.push_back(r);
  for (auto& c : pool_subnets(pools_))
    if (std::none_of(used.begin(), used.end(), [&](const Subnet& u) { return u.overlaps(c); }))
      return c;
  return make_error(Code::kUnavailable, "all predefined address pools have been fully subnetted");
}

Result<NetworkRecord> Controller::create(const model::NetworkCreateRequest& req) {
  const std::string& name = req.name;
  if (name.empty()) return make_error(Code::kInvalidArgument, "network name cannot be empty");
  if (get(name)) {
    if (predefined(name))
      return make_error(Code::kPermissionDenied,
                        "operation is not permitted on predefined " + name + " network ");
    return make_error(Code::kConflict, "network with name " + name + " already exists");
  }
  std::string driver = req.driver.empty() ? "bridge" : req.driver;
  if (driver != "bridge") return make_error(Code::kNotFound, "plugin \"" + driver + "\" not found");
  model::Map<std::string> opts = req.options;
  std::string id = random_hex_id();
  auto named = opts.find(kBridgeNameOpt);
  std::string bridge = named != opts.end() ? named->second : "br-" + id.substr(0, 12);
  if (bridge.size() > 15)
    return make_error(Code::kInvalidArgument, "bridge name " + bridge + " is too long");
  for (auto& [nid, n] : networks_)
    if (n.bridge == bridge)
      return make_error(Code::kConflict, "bridge name " + bridge + " already in use");
  model::List<model::IPAMConfig> configs;
  model::Map<std::string> taken;
  std::vector<model::IPAMConfig> in_configs;
  if (req.ipam) in_configs = req.ipam->config;
  if (in_configs.empty()) in_configs.emplace_back();
  for (auto& c : in_configs) {
    Subnet subnet;
    const std::string& s = c.subnet;
    if (s.empty()) {
      BERTH_TRY_ASSIGN(subnet, pick_subnet());
    } else {
      BERTH_TRY_ASSIGN(subnet, parse_subnet(s));
      for (auto& [nid, n] : networks_)
        for (auto& oc : n.ipam.config)
          if (auto o = parse_subnet(oc.subnet, false); o && o->overlaps(subnet))
            return make_error(Code::kPermissionDenied,
                              "invalid pool request: Pool overlaps with other one on this "
                              "address space");
    }
    uint32_t gateway = subnet.first_host();
    if (const std::string& g = c.gateway; !g.empty()) {
      BERTH_TRY_ASSIGN(gateway, parse_ip(g));
      if (!subnet.contains(gateway))
        return make_error(Code::kInvalidArgument, "no matching subnet for gateway " + g);
    }
    const std::string& range = c.ip_range;
    if (!range.empty()) {
      BERTH_TRY_ASSIGN(Subnet r, parse_subnet(range));
      if (!subnet.contains(r.base) || r.prefix < subnet.prefix)
        return make_error(Code::kInvalidArgument, "invalid ip-range " + range +
                                                      ": it must be within subnet " + subnet.str());
    }
    taken[format_ip(gateway)] = "gateway";
    configs.push_back(ipam_config(subnet, gateway, range));
  }
  NetworkRecord rec = new_record(name, id, configs, req.internal, req.labels, opts, bridge);
  rec.attachable = req.attachable;
  rec.taken = std::move(taken);
  present(rec.taken);
  BERTH_TRY(save(rec));
  return rec;
}

Status Controller::remove(const NetworkRecord& network) {
  std::string id = network.id;
  std::string bridge = network.bridge;
  BERTH_TRY(db_.remove(store::Table::kNetworks, id));
  networks_.erase(id);
  if (!bridge.empty() && user_defined(network)) {
    Status st = delete_link(bridge);
    if (!st) log_warn(st.error().message);
    ready_bridges_.erase(bridge);
  }
  return sync_bridges();
}

Result<uint32_t> Controller::allocate(const std::string& network_id, const std::string& owner,
                                      uint32_t preferred) {
  auto it = networks_.find(network_id);
  if (it == networks_.end())
    return make_error(Code::kNotFound, "network " + network_id + " not found");
  NetworkRecord n = it->second;
  std::set<uint32_t> taken;
  for (auto& [ip, who] : n.taken)
    if (auto v = parse_ip(ip); v) taken.insert(*v);
  const model::IPAMConfig& cfg = first_config(n);
  BERTH_TRY_ASSIGN(Subnet subnet, parse_subnet(cfg.subnet, false));
  Subnet range = subnet;
  if (const std::string& r = cfg.ip_range; !r.empty()) {
    BERTH_TRY_ASSIGN(range, parse_subnet(r, false));
  }
  auto cursor = static_cast<uint32_t>(n.cursor);
  BERTH_TRY_ASSIGN(uint32_t ip, allocate_ip(subnet, range, taken, preferred, &cursor));
  if (!preferred) n.cursor = cursor;
  n.taken[format_ip(ip)] = owner;
  BERTH_TRY(save(n));
  return ip;
}

void Controller::release(const std::string& network_id, uint32_t ip) {
  auto it = networks_.find(network_id);
  if (it == networks_.end()) return;
  NetworkRecord n = it->second;
  n.taken.erase(format_ip(ip));
  Status st = save(n);
  if (!st) log_warn("release " + format_ip(ip) + ": " + st.error().message);
}

Status Controller::create_sandbox(const std::string& id) {
  (void)remove_netns(netns_path(id));
  return create_netns(netns_path(id));
}

void Controller::remove_sandbox(const std::string& id) {
  dns_->remove(id);
  Status st = remove_netns(netns_path(id));
  if (!st) log_warn(st.error().message);
}

Result<std::string> Controller::attach(const std::string& id, const NetworkRecord& network,
                                       uint32_t ip, const std::string& inner_name,
                                       bool default_route) {
  const model::IPAMConfig& cfg = first_config(network);
  BERTH_TRY_ASSIGN(Subnet subnet, parse_subnet(cfg.subnet, false));
  BERTH_TRY_ASSIGN(uint32_t gateway, parse_ip(cfg.gateway));
  const std::string& bridge = network.bridge;
  // A bridge this daemon made and saw up stays so: no netlink round trips on every start.
  if (!ready_bridges_.count(bridge) || !link_exists(bridge)) {
    BERTH_TRY(ensure_bridge(bridge, gateway, subnet.prefix));
    ready_bridges_.insert(bridge);
  }
  BERTH_TRY(sync_bridges());
  VethRequest r;
  r.netns_path = netns_path(id);
  r.bridge = bridge;
  r.host_name = "veth" + random_hex_id().substr(0, 7);
  r.inner_name = inner_name;
  r.ip = ip;
  r.prefix = subnet.prefix;
  r.gateway = gateway;
  r.default_route = default_route && !network.internal;
  r.mac = mac_for_ip(ip);
  BERTH_TRY(create_veth(r));
  return r.host_name;
}

void Controller::detach(const std::string& veth) {
  if (veth.empty()) return;
  Status st = delete_link(veth);
  if (!st) log_warn(st.error().message);
}

Result<PortMap> Controller::publish(const std::string& id, const std::string& name,
                                    const std::string& container_ip, const std::string& bridge,
                                    const PortMap& bindings,
                                    const model::Map<model::EmptyObject>& exposed,
                                    bool publish_all) {
  unpublish(id);  // publishing again replaces what it had
  PortMap wanted = bindings;
  if (publish_all)
    for (auto& [port, _] : exposed)
      if (auto& list = wanted[port]; list.empty()) list = {model::PortBinding{}};
  Published pub;
  PortMap ports;
  ports.set_empty();
  for (auto& [port, _] : exposed) ports[port].set_null();
  for (auto& [key, list] : wanted) {
    std::string port_s = key.substr(0, key.find('/'));
    std::string proto = key.find('/') == std::string::npos ? "tcp" : key.substr(key.find('/') + 1);
    long long cport = 0;
    if (!parse_int64(port_s, &cport))
      return make_error(Code::kInvalidArgument, "invalid port specification: \"" + key + "\"");
    if (list.is_null()) continue;
    model::List<model::PortBinding> out;
    out.set_empty();
    for (auto& b : list) {
      const std::string& host_ip = b.host_ip;
      const std::string& hp = b.host_port;
      long long lo = 0, hi = 0;
      if (!hp.empty()) {
        auto dash = hp.find('-');
        if (!parse_int64(hp.substr(0, dash), &lo) ||
            (dash != std::string::npos && !parse_int64(hp.substr(dash + 1), &hi)))
          return make_error(Code::kInvalidArgument, "invalid port specification: \"" + hp + "\"");
        if (dash == std::string::npos) hi = lo;
      }
      Result<ReservedPort> held = make_error(Code::kInternal, "no port");
      for (long long p = lo; p <= hi; ++p) {
        held = reserve_port(proto, host_ip, static_cast<int>(p));
        if (held || lo == hi) break;
      }
      std::string shown = (host_ip.empty() ? "0.0.0.0" : host_ip) + ":" + hp;
      if (!held) {
        return make_error(Code::kInternal,
                          "driver failed programming external connectivity on endpoint " + name +
                              " (" + id + "): Bind for " + shown +
                              " failed: port is already "
                              "allocated");
      }
      PortRule rule{proto, host_ip, held->port, container_ip, static_cast<int>(cport), bridge};
      pub.rules.push_back(rule);
      model::PortBinding shown_binding;
      shown_binding.host_ip = host_ip.empty() ? "0.0.0.0" : host_ip;
      shown_binding.host_port = std::to_string(held->port);
      out.push_back(std::move(shown_binding));
      pub.held.push_back(std::move(*held));
    }
    ports[key] = out;
  }
  std::vector<PortRule> rules = pub.rules;
  published_[id] = std::move(pub);
  if (firewall_ && !rules.empty()) {
    Status st = applied_ ? firewall_->add_ports(rules) : sync_firewall();
    // The table changed under us (flushed by hand?): write it whole.
    if (!st && applied_) st = sync_firewall();
    if (!st) {
      published_.erase(id);
      return std::move(st).error();
    }
  }
  return ports;
}

void Controller::unpublish(const std::string& id) {
  auto it = published_.find(id);
  if (it == published_.end()) return;
  std::vector<PortRule> rules = std::move(it->second.rules);
  published_.erase(it);
  if (!firewall_ || rules.empty()) return;
  Status st = firewall_->remove_ports(rules);
  if (!st) {
    log_warn(st.error().message);
    st = sync_firewall();
    if (!st) log_warn(st.error().message);
  }
}

std::vector<BridgeRules> Controller::firewall_bridges() {
  std::vector<BridgeRules> out;
  for (auto& [id, n] : networks_) {
    if (n.bridge.empty() || !link_exists(n.bridge)) continue;
    out.push_back({n.bridge, first_config(n).subnet, n.internal});
  }
  return out;
}

Status Controller::sync_bridges() {
  if (!firewall_) return ok_status();
  if (applied_ && firewall_bridges() == applied_bridges_) return ok_status();
  return sync_firewall();
}

Status Controller::sync_firewall() {
  if (!firewall_) return ok_status();
  FirewallState s;
  s.bridges = firewall_bridges();
  for (auto& [id, p] : published_) s.ports.insert(s.ports.end(), p.rules.begin(), p.rules.end());
  applied_ = false;
  BERTH_TRY(firewall_->apply(s));
  applied_bridges_ = std::move(s.bridges);
  applied_ = true;
  return ok_status();
}

}  // namespace berth::network
