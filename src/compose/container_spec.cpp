#include "compose/container_spec.h"

#include <cmath>

#include "base/digest.h"
#include "base/strings.h"
#include "compose/node_json.h"

namespace berth::compose {

namespace {

Error bad(const std::string& path, const std::string& what) {
  return make_error(Code::kInvalidArgument, path + ": " + what);
}

model::List<std::string> strings_of(const Node* n) {
  model::List<std::string> out;
  if (n == nullptr) return out;
  if (n->is_seq()) {
    for (const auto& item : n->items()) out.push_back(item.scalar_text());
  } else if (!n->is_null()) {
    out.push_back(n->scalar_text());
  }
  return out;
}

bool truthy(const Node* n) { return n != nullptr && n->is_bool() && n->as_bool(); }

std::string depends_on_label(const Node& service) {
  std::vector<std::string> parts;
  if (const Node* deps = service.find("depends_on")) {
    for (const auto& [dep, cond] : deps->entries()) {
      parts.push_back(dep + ":" + cond.str("condition") + ":" +
                      (truthy(cond.find("restart")) ? "true" : "false"));
    }
  }
  return join(parts, ",");
}

Result<model::HealthConfig> health_config(const Node& hc, const std::string& path) {
  model::HealthConfig out;
  if (truthy(hc.find("disable"))) {
    out.test = {"NONE"};
    return out;
  }
  out.test = strings_of(hc.find("test"));
  struct {
    const char* key;
    int64_t* field;
  } durations[] = {{"interval", &out.interval},
                   {"timeout", &out.timeout},
                   {"start_period", &out.start_period},
                   {"start_interval", &out.start_interval}};
  for (auto& d : durations) {
    if (const Node* v = hc.find(d.key)) {
      BERTH_TRY_ASSIGN(*d.field, parse_duration(v->scalar_text(), path + "." + d.key));
    }
  }
  if (const Node* r = hc.find("retries")) out.retries = r->as_int();
  return out;
}

Status apply_volumes(const Project& project, const Node& vols, const std::string& path,
                     model::HostConfig* hc) {
  const Node* top = project.model.find("volumes");
  size_t i = 0;
  for (const auto& v : vols.items()) {
    std::string where = path_index(path, i++);
    std::string type = v.str("type");
    if (type == "bind" && v.find("bind") != nullptr &&
        truthy(v.find("bind")->find("create_host_path"))) {
      // Binds (not Mounts) make the daemon create a missing host directory, as `-v` does.
      hc->binds.push_back(v.str("source") + ":" + v.str("target") +
                          (truthy(v.find("read_only")) ? ":ro" : ""));
      continue;
    }
    model::Mount m;
    if (!model::from_string(type, &m.type)) return bad(where, "unsupported volume type " + type);
    m.target = v.str("target");
    m.read_only = truthy(v.find("read_only"));
    m.source = v.str("source");
    if (type == "volume" && !m.source.empty() && top != nullptr) {
      if (const Node* def = top->find(m.source)) m.source = def->str("name");
    }
    if (const Node* opts = v.find("volume"); opts != nullptr && type == "volume") {
      model::MountVolumeOptions vo;
      vo.no_copy = truthy(opts->find("nocopy"));
      vo.subpath = opts->str("subpath");
      m.volume_options = vo;
    }
    if (const Node* opts = v.find("bind"); opts != nullptr && type == "bind") {
      model::MountBindOptions bo;
      if (opts->has("propagation"))
        (void)model::from_string(opts->str("propagation"), &bo.propagation);
      m.bind_options = bo;
    }
    if (const Node* opts = v.find("tmpfs"); opts != nullptr && type == "tmpfs") {
      model::MountTmpfsOptions to;
      if (opts->has("size")) {
        BERTH_TRY_ASSIGN(to.size_bytes, parse_bytes(opts->str("size"), where));
      }
      if (const Node* mode = opts->find("mode")) to.mode = mode->as_int();
      m.tmpfs_options = to;
    }
    hc->mounts.push_back(std::move(m));
  }
  return ok_status();
}

}  // namespace

Result<int64_t> parse_duration(const std::string& text, const std::string& path) {
  if (text.empty()) return bad(path, "invalid duration \"\"");
  long long plain;
  if (parse_int64(text, &plain)) return static_cast<int64_t>(plain) * 1000000000LL;
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
      ++i;
    if (start == i) return bad(path, "invalid duration \"" + text + "\"");
    double value = std::strtod(text.substr(start, i - start).c_str(), nullptr);
    size_t ustart = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string unit = text.substr(ustart, i - ustart);
    double scale = unit == "ns"                   ? 1
                   : unit == "us" || unit == "µs" ? 1e3
                   : unit == "ms"                 ? 1e6
                   : unit == "s"                  ? 1e9
                   : unit == "m"                  ? 60e9
                   : unit == "h"                  ? 3600e9
                                                  : -1;
    if (scale < 0) return bad(path, "invalid duration \"" + text + "\"");
    total += value * scale;
  }
  return static_cast<int64_t>(std::llround(total));
}

Result<int64_t> parse_bytes(const std::string& text, const std::string& path) {
  std::string t = to_lower(trim(text));
  size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
  if (i == 0) return bad(path, "invalid size \"" + text + "\"");
  double v = std::strtod(t.substr(0, i).c_str(), nullptr);
  std::string unit = t.substr(i);
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();
  double scale = unit.empty()  ? 1
                 : unit == "k" ? 1024.0
                 : unit == "m" ? 1024.0 * 1024
                 : unit == "g" ? 1024.0 * 1024 * 1024
                 : unit == "t" ? 1024.0 * 1024 * 1024 * 1024
                               : -1;
  if (scale < 0) return bad(path, "invalid size \"" + text + "\"");
  return static_cast<int64_t>(v * scale);
}

std::string config_hash(const Node& service) {
  Node s = service;
  for (const char* key : {"build", "pull_policy", "scale", "depends_on", "profiles"}) s.erase(key);
  if (Node* deploy = s.find("deploy"); deploy != nullptr && deploy->is_map()) {
    deploy->set("replicas", Node::integer(1));
  }
  return sha256_hex(to_json_text(s));
}

std::string container_name(const Project& project, const std::string& service, int number) {
  const Node* svc = project.services().find(service);
  if (svc != nullptr && svc->has("container_name")) return svc->str("container_name");
  return project.name + "-" + service + "-" + std::to_string(number);
}

std::string service_image(const Project& project, const std::string& service) {
  const Node* svc = project.services().find(service);
  if (svc != nullptr && svc->has("image")) return svc->str("image");
  return project.name + "-" + service;
}

int service_replicas(const Node& service) {
  if (const Node* d = service.find("deploy")) {
    if (const Node* r = d->find("replicas")) return static_cast<int>(r->as_int());
  }
  if (const Node* s = service.find("scale")) return static_cast<int>(s->as_int());
  return 1;
}

Result<model::ContainerCreateRequest> container_request(
    const Project& project, const std::string& name, int number,
    const std::map<std::string, std::string>& containers_by_service) {
  const Node& svc = *project.services().find(name);
  const std::string path = "services." + name;
  model::ContainerCreateRequest req;
  model::HostConfig hc;
  // As the docker CLI sends it; berthd's start reads it with value(..., false), which a null
  // would make throw.
  hc.oom_kill_disable = false;
  req.image = service_image(project, name);
  if (svc.has("command")) req.cmd = strings_of(svc.find("command"));
  if (svc.has("entrypoint")) req.entrypoint = strings_of(svc.find("entrypoint"));
  if (const Node* env = svc.find("environment")) {
    for (const auto& [k, v] : env->entries())
      req.env.push_back(v.is_null() ? k : k + "=" + v.scalar_text());
  }
  if (const Node* labels = svc.find("labels")) {
    for (const auto& [k, v] : labels->entries()) req.labels[k] = v.scalar_text();
  }
  req.labels[kLabelProject] = project.name;
  req.labels[kLabelService] = name;
  req.labels[kLabelNumber] = std::to_string(number);
  req.labels[kLabelOneoff] = "False";
  req.labels[kLabelConfigHash] = config_hash(svc);
  req.labels[kLabelWorkingDir] = project.working_dir;
  req.labels[kLabelConfigFiles] = join(project.config_files, ",");
  req.labels[kLabelDependsOn] = depends_on_label(svc);
  req.labels[kLabelVersion] = kComposeVersion;
  req.labels[kLabelImage] = req.image;
  req.hostname = svc.str("hostname");
  req.domainname = svc.str("domainname");
  req.user = svc.str("user");
  req.working_dir = svc.str("working_dir");
  req.tty = truthy(svc.find("tty"));
  req.open_stdin = truthy(svc.find("stdin_open"));
  req.stop_signal = svc.str("stop_signal");
  if (const Node* g = svc.find("stop_grace_period")) {
    BERTH_TRY_ASSIGN(int64_t ns, parse_duration(g->scalar_text(), path + ".stop_grace_period"));
    req.stop_timeout = ns / 1000000000LL;
  }
  if (const Node* h = svc.find("healthcheck")) {
    BERTH_TRY_ASSIGN(auto health, health_config(*h, path + ".healthcheck"));
    req.healthcheck = health;
  }
  for (const auto& e : strings_of(svc.find("expose"))) {
    req.exposed_ports[e.find('/') == std::string::npos ? e + "/tcp" : e] = {};
  }
  if (const Node* ports = svc.find("ports")) {
    for (const auto& p : ports->items()) {
      std::string key = p.str("target") + "/" + p.str("protocol");
      req.exposed_ports[key] = {};
      model::PortBinding b;
      b.host_ip = p.str("host_ip");
      b.host_port = p.str("published");
      hc.port_bindings[key].push_back(b);
    }
  }
  if (const Node* vols = svc.find("volumes"))
    BERTH_TRY(apply_volumes(project, *vols, path + ".volumes", &hc));
  for (const auto& t : strings_of(svc.find("tmpfs"))) {
    size_t colon = t.find(':');
    hc.tmpfs[t.substr(0, colon)] = colon == std::string::npos ? "" : t.substr(colon + 1);
  }
  if (const Node* r = svc.find("restart")) {
    std::string policy = r->scalar_text();
    std::string mode = policy.substr(0, policy.find(':'));
    if (!model::from_string(mode, &hc.restart_policy.name))
      return bad(path + ".restart", "invalid restart policy " + policy);
    if (size_t c = policy.find(':'); c != std::string::npos) {
      long long n = 0;
      (void)parse_int64(policy.substr(c + 1), &n);
      hc.restart_policy.maximum_retry_count = n;
    }
  }
  hc.cap_add = strings_of(svc.find("cap_add"));
  hc.cap_drop = strings_of(svc.find("cap_drop"));
  hc.dns = strings_of(svc.find("dns"));
  hc.dns_search = strings_of(svc.find("dns_search"));
  hc.dns_options = strings_of(svc.find("dns_opt"));
  hc.security_opt = strings_of(svc.find("security_opt"));
  hc.group_add = strings_of(svc.find("group_add"));
  hc.privileged = truthy(svc.find("privileged"));
  hc.readonly_rootfs = truthy(svc.find("read_only"));
  if (const Node* init = svc.find("init"); init != nullptr && init->is_bool())
    hc.init = init->as_bool();
  hc.pid_mode = svc.str("pid");
  hc.ipc_mode = svc.str("ipc");
  if (const Node* hosts = svc.find("extra_hosts")) {
    if (hosts->is_map()) {
      for (const auto& [h, ip] : hosts->entries())
        hc.extra_hosts.push_back(h + ":" + ip.scalar_text());
    } else {
      for (auto h : strings_of(hosts)) {
        if (size_t eq = h.find('='); eq != std::string::npos) h[eq] = ':';
        hc.extra_hosts.push_back(h);
      }
    }
  }
  if (const Node* sysctls = svc.find("sysctls")) {
    for (const auto& [k, v] : sysctls->entries()) hc.sysctls[k] = v.scalar_text();
  }
  if (const Node* ulimits = svc.find("ulimits")) {
    for (const auto& [k, v] : ulimits->entries()) {
      model::Ulimit u;
      u.name = k;
      if (v.is_map()) {
        u.soft = v.find("soft") ? v.find("soft")->as_int() : 0;
        u.hard = v.find("hard") ? v.find("hard")->as_int() : 0;
      } else {
        u.soft = u.hard = v.as_int();
      }
      hc.ulimits.push_back(u);
    }
  }
  if (const Node* logging = svc.find("logging")) {
    hc.log_config.type = logging->str("driver");
    if (const Node* opts = logging->find("options")) {
      for (const auto& [k, v] : opts->entries()) hc.log_config.config[k] = v.scalar_text();
    }
  }
  if (const Node* shm = svc.find("shm_size")) {
    BERTH_TRY_ASSIGN(hc.shm_size, parse_bytes(shm->scalar_text(), path + ".shm_size"));
  }
  if (const Node* mem = svc.find("mem_limit")) {
    BERTH_TRY_ASSIGN(hc.memory, parse_bytes(mem->scalar_text(), path + ".mem_limit"));
  }
  if (const Node* deploy = svc.find("deploy")) {
    if (const Node* lim =
            deploy->find("resources") ? deploy->find("resources")->find("limits") : nullptr) {
      if (lim->has("memory")) {
        BERTH_TRY_ASSIGN(hc.memory, parse_bytes(lim->str("memory"), path + ".deploy"));
      }
      if (lim->has("cpus"))
        hc.nano_cpus = static_cast<int64_t>(std::strtod(lim->str("cpus").c_str(), nullptr) * 1e9);
    }
  }
  // Networks: the first (by priority, then name) at create, the others connected before start.
  model::NetworkingConfig net;
  const Node* top_nets = project.model.find("networks");
  if (const Node* mode = svc.find("network_mode")) {
    std::string m = mode->scalar_text();
    if (m.rfind("service:", 0) == 0) {
      auto it = containers_by_service.find(m.substr(8));
      if (it == containers_by_service.end())
        return bad(path + ".network_mode", "service " + m.substr(8) + " has no container");
      m = "container:" + it->second;
    }
    hc.network_mode = m;
  } else if (const Node* nets = svc.find("networks")) {
    for (const auto& [key, cfg] : nets->entries()) {
      const Node* def = top_nets == nullptr ? nullptr : top_nets->find(key);
      std::string real = def != nullptr && def->has("name") ? def->str("name") : key;
      model::EndpointSettings ep;
      ep.aliases.push_back(name);
      if (cfg.is_map()) {
        for (const auto& a : strings_of(cfg.find("aliases"))) ep.aliases.push_back(a);
        if (cfg.has("ipv4_address") || cfg.has("ipv6_address")) {
          model::EndpointIPAMConfig ipam;
          ipam.ipv4_address = cfg.str("ipv4_address");
          ipam.ipv6_address = cfg.str("ipv6_address");
          ep.ipam_config = ipam;
        }
        if (const Node* prio = cfg.find("gw_priority")) ep.gw_priority = prio->as_int();
      }
      if (hc.network_mode.empty()) hc.network_mode = real;
      net.endpoints_config[real] = ep;
    }
  }
  for (const auto& vf : strings_of(svc.find("volumes_from"))) {
    std::string src = vf.substr(0, vf.find(':'));
    std::string suffix = vf.find(':') == std::string::npos ? "" : vf.substr(vf.find(':'));
    if (src.rfind("container:", 0) == 0) {
      hc.volumes_from.push_back(src.substr(10) + suffix);
    } else if (auto it = containers_by_service.find(src); it != containers_by_service.end()) {
      hc.volumes_from.push_back(it->second + suffix);
    }
  }
  req.host_config = std::move(hc);
  req.networking_config = std::move(net);
  return req;
}

}  // namespace berth::compose
