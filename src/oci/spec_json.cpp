// The adapter between nlohmann::json (which throws on type mismatches) and the oci types: every
// nlohmann exception is caught here and becomes an InvalidArgument error.
#include "oci/spec_json.h"

#include "base/file.h"
#include "base/json.h"

namespace berth::oci {

namespace {

// Reads optional members; `get` throws json::type_error on a mismatch, caught by the callers.
template <typename T>
void opt(const Json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) *out = it->get<T>();
}
template <typename T>
void opt(const Json& j, const char* key, std::optional<T>* out) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) *out = it->get<T>();
}
const Json* member(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && !it->is_null() ? &*it : nullptr;
}

std::vector<IdMapping> id_mappings(const Json* j) {
  std::vector<IdMapping> out;
  if (!j) return out;
  for (auto& m : *j) {
    IdMapping im;
    opt(m, "containerID", &im.container_id);
    opt(m, "hostID", &im.host_id);
    opt(m, "size", &im.size);
    out.push_back(im);
  }
  return out;
}

Json id_mappings_json(const std::vector<IdMapping>& v) {
  Json a = Json::array();
  for (auto& m : v)
    a.push_back({{"containerID", m.container_id}, {"hostID", m.host_id}, {"size", m.size}});
  return a;
}

Process parse_process(const Json& j) {
  Process p;
  opt(j, "terminal", &p.terminal);
  if (auto* cs = member(j, "consoleSize")) {
    ConsoleSize c;
    opt(*cs, "height", &c.height);
    opt(*cs, "width", &c.width);
    p.console_size = c;
  }
  if (auto* u = member(j, "user")) {
    opt(*u, "uid", &p.user.uid);
    opt(*u, "gid", &p.user.gid);
    opt(*u, "umask", &p.user.umask);
    opt(*u, "additionalGids", &p.user.additional_gids);
  }
  opt(j, "args", &p.args);
  opt(j, "env", &p.env);
  opt(j, "cwd", &p.cwd);
  opt(j, "noNewPrivileges", &p.no_new_privileges);
  if (auto* r = member(j, "rlimits")) {
    for (auto& e : *r) {
      Rlimit rl;
      opt(e, "type", &rl.type);
      opt(e, "hard", &rl.hard);
      opt(e, "soft", &rl.soft);
      p.rlimits.push_back(rl);
    }
  }
  if (auto* c = member(j, "capabilities")) {
    Capabilities caps;
    opt(*c, "bounding", &caps.bounding);
    opt(*c, "effective", &caps.effective);
    opt(*c, "inheritable", &caps.inheritable);
    opt(*c, "permitted", &caps.permitted);
    opt(*c, "ambient", &caps.ambient);
    p.capabilities = caps;
  }
  opt(j, "oomScoreAdj", &p.oom_score_adj);
  opt(j, "apparmorProfile", &p.apparmor_profile);
  opt(j, "selinuxLabel", &p.selinux_label);
  return p;
}

Json process_json(const Process& p) {
  Json j = Json::object();
  j["terminal"] = p.terminal;
  if (p.console_size)
    j["consoleSize"] = {{"height", p.console_size->height}, {"width", p.console_size->width}};
  Json u = {{"uid", p.user.uid}, {"gid", p.user.gid}};
  if (p.user.umask) u["umask"] = *p.user.umask;
  if (!p.user.additional_gids.empty()) u["additionalGids"] = p.user.additional_gids;
  j["user"] = u;
  j["args"] = p.args;
  j["env"] = p.env;
  j["cwd"] = p.cwd;
  if (p.no_new_privileges) j["noNewPrivileges"] = true;
  if (!p.rlimits.empty()) {
    Json a = Json::array();
    for (auto& r : p.rlimits) a.push_back({{"type", r.type}, {"hard", r.hard}, {"soft", r.soft}});
    j["rlimits"] = a;
  }
  if (p.capabilities) {
    auto& c = *p.capabilities;
    j["capabilities"] = {{"bounding", c.bounding},
                         {"effective", c.effective},
                         {"inheritable", c.inheritable},
                         {"permitted", c.permitted},
                         {"ambient", c.ambient}};
  }
  if (p.oom_score_adj) j["oomScoreAdj"] = *p.oom_score_adj;
  if (!p.apparmor_profile.empty()) j["apparmorProfile"] = p.apparmor_profile;
  if (!p.selinux_label.empty()) j["selinuxLabel"] = p.selinux_label;
  return j;
}

Resources parse_resources(const Json& j) {
  Resources r;
  if (auto* d = member(j, "devices")) {
    for (auto& e : *d) {
      DeviceCgroup dc;
      opt(e, "allow", &dc.allow);
      opt(e, "type", &dc.type);
      opt(e, "major", &dc.major);
      opt(e, "minor", &dc.minor);
      opt(e, "access", &dc.access);
      r.devices.push_back(dc);
    }
  }
  if (auto* m = member(j, "memory")) {
    MemoryResources mr;
    opt(*m, "limit", &mr.limit);
    opt(*m, "reservation", &mr.reservation);
    opt(*m, "swap", &mr.swap);
    opt(*m, "swappiness", &mr.swappiness);
    opt(*m, "disableOOMKiller", &mr.disable_oom_killer);
    r.memory = mr;
  }
  if (auto* c = member(j, "cpu")) {
    CpuResources cr;
    opt(*c, "shares", &cr.shares);
    opt(*c, "quota", &cr.quota);
    opt(*c, "period", &cr.period);
    opt(*c, "cpus", &cr.cpus);
    opt(*c, "mems", &cr.mems);
    r.cpu = cr;
  }
  if (auto* p = member(j, "pids")) {
    PidsResources pr;
    opt(*p, "limit", &pr.limit);
    r.pids = pr;
  }
  opt(j, "unified", &r.unified);
  return r;
}

Json resources_json(const Resources& r) {
  Json j = Json::object();
  if (!r.devices.empty()) {
    Json a = Json::array();
    for (auto& d : r.devices) {
      Json e = {{"allow", d.allow}};
      if (!d.type.empty()) e["type"] = d.type;
      if (d.major) e["major"] = *d.major;
      if (d.minor) e["minor"] = *d.minor;
      if (!d.access.empty()) e["access"] = d.access;
      a.push_back(e);
    }
    j["devices"] = a;
  }
  if (r.memory) {
    Json m = Json::object();
    if (r.memory->limit) m["limit"] = *r.memory->limit;
    if (r.memory->reservation) m["reservation"] = *r.memory->reservation;
    if (r.memory->swap) m["swap"] = *r.memory->swap;
    if (r.memory->swappiness) m["swappiness"] = *r.memory->swappiness;
    if (r.memory->disable_oom_killer) m["disableOOMKiller"] = *r.memory->disable_oom_killer;
    j["memory"] = m;
  }
  if (r.cpu) {
    Json c = Json::object();
    if (r.cpu->shares) c["shares"] = *r.cpu->shares;
    if (r.cpu->quota) c["quota"] = *r.cpu->quota;
    if (r.cpu->period) c["period"] = *r.cpu->period;
    if (!r.cpu->cpus.empty()) c["cpus"] = r.cpu->cpus;
    if (!r.cpu->mems.empty()) c["mems"] = r.cpu->mems;
    j["cpu"] = c;
  }
  if (r.pids) j["pids"] = {{"limit", r.pids->limit}};
  if (!r.unified.empty()) j["unified"] = r.unified;
  return j;
}

Linux parse_linux(const Json& j) {
  Linux l;
  if (auto* ns = member(j, "namespaces")) {
    for (auto& e : *ns) {
      Namespace n;
      opt(e, "type", &n.type);
      opt(e, "path", &n.path);
      l.namespaces.push_back(n);
    }
  }
  l.uid_mappings = id_mappings(member(j, "uidMappings"));
  l.gid_mappings = id_mappings(member(j, "gidMappings"));
  if (auto* d = member(j, "devices")) {
    for (auto& e : *d) {
      Device dev;
      opt(e, "type", &dev.type);
      opt(e, "path", &dev.path);
      opt(e, "major", &dev.major);
      opt(e, "minor", &dev.minor);
      opt(e, "fileMode", &dev.file_mode);
      opt(e, "uid", &dev.uid);
      opt(e, "gid", &dev.gid);
      l.devices.push_back(dev);
    }
  }
  opt(j, "cgroupsPath", &l.cgroups_path);
  if (auto* r = member(j, "resources")) l.resources = parse_resources(*r);
  opt(j, "rootfsPropagation", &l.rootfs_propagation);
  opt(j, "maskedPaths", &l.masked_paths);
  opt(j, "readonlyPaths", &l.readonly_paths);
  opt(j, "sysctl", &l.sysctl);
  opt(j, "mountLabel", &l.mount_label);
  return l;
}

Json linux_json(const Linux& l) {
  Json j = Json::object();
  Json ns = Json::array();
  for (auto& n : l.namespaces) {
    Json e = {{"type", n.type}};
    if (!n.path.empty()) e["path"] = n.path;
    ns.push_back(e);
  }
  j["namespaces"] = ns;
  if (!l.uid_mappings.empty()) j["uidMappings"] = id_mappings_json(l.uid_mappings);
  if (!l.gid_mappings.empty()) j["gidMappings"] = id_mappings_json(l.gid_mappings);
  if (!l.devices.empty()) {
    Json a = Json::array();
    for (auto& d : l.devices) {
      Json e = {{"type", d.type}, {"path", d.path}, {"major", d.major}, {"minor", d.minor}};
      if (d.file_mode) e["fileMode"] = *d.file_mode;
      if (d.uid) e["uid"] = *d.uid;
      if (d.gid) e["gid"] = *d.gid;
      a.push_back(e);
    }
    j["devices"] = a;
  }
  if (!l.cgroups_path.empty()) j["cgroupsPath"] = l.cgroups_path;
  if (l.resources) j["resources"] = resources_json(*l.resources);
  if (!l.rootfs_propagation.empty()) j["rootfsPropagation"] = l.rootfs_propagation;
  if (!l.masked_paths.empty()) j["maskedPaths"] = l.masked_paths;
  if (!l.readonly_paths.empty()) j["readonlyPaths"] = l.readonly_paths;
  if (!l.sysctl.empty()) j["sysctl"] = l.sysctl;
  if (!l.mount_label.empty()) j["mountLabel"] = l.mount_label;
  return j;
}

Spec parse_spec_json(const Json& j) {
  Spec s;
  opt(j, "ociVersion", &s.oci_version);
  if (auto* p = member(j, "process")) s.process = parse_process(*p);
  if (auto* r = member(j, "root")) {
    Root root;
    opt(*r, "path", &root.path);
    opt(*r, "readonly", &root.readonly);
    s.root = root;
  }
  opt(j, "hostname", &s.hostname);
  opt(j, "domainname", &s.domainname);
  if (auto* m = member(j, "mounts")) {
    for (auto& e : *m) {
      Mount mt;
      opt(e, "destination", &mt.destination);
      opt(e, "type", &mt.type);
      opt(e, "source", &mt.source);
      opt(e, "options", &mt.options);
      s.mounts.push_back(mt);
    }
  }
  if (auto* l = member(j, "linux")) s.linux_ = parse_linux(*l);
  opt(j, "annotations", &s.annotations);
  return s;
}

}  // namespace

Result<Spec> parse_spec(std::string_view text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "config.json"));
  if (!j.is_object()) return make_error(Code::kInvalidArgument, "config.json: not an object");
  try {
    return parse_spec_json(j);
  } catch (const Json::exception& e) {
    return make_error(Code::kInvalidArgument, std::string("config.json: ") + e.what());
  }
}

Result<Spec> load_spec(const std::string& path) {
  BERTH_TRY_ASSIGN(std::string text, read_file(path));
  auto spec = parse_spec(text);
  if (!spec) return std::move(spec).error().context("load " + path);
  return spec;
}

std::string spec_to_json(const Spec& s, bool pretty) {
  Json j = Json::object();
  j["ociVersion"] = s.oci_version;
  j["process"] = process_json(s.process);
  if (s.root) j["root"] = {{"path", s.root->path}, {"readonly", s.root->readonly}};
  if (!s.hostname.empty()) j["hostname"] = s.hostname;
  if (!s.domainname.empty()) j["domainname"] = s.domainname;
  Json mounts = Json::array();
  for (auto& m : s.mounts) {
    Json e = {{"destination", m.destination}};
    if (!m.type.empty()) e["type"] = m.type;
    if (!m.source.empty()) e["source"] = m.source;
    if (!m.options.empty()) e["options"] = m.options;
    mounts.push_back(e);
  }
  j["mounts"] = mounts;
  if (s.linux_) j["linux"] = linux_json(*s.linux_);
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  return pretty ? j.dump(2, ' ', false, Json::error_handler_t::replace) : dump_json(j);
}

const char* status_name(Status status) {
  switch (status) {
    case Status::kCreating:
      return "creating";
    case Status::kCreated:
      return "created";
    case Status::kRunning:
      return "running";
    case Status::kStopped:
      return "stopped";
  }
  return "unknown";
}

Result<State> parse_state(std::string_view text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "state.json"));
  try {
    State s;
    opt(j, "ociVersion", &s.oci_version);
    opt(j, "id", &s.id);
    std::string status;
    opt(j, "status", &status);
    if (status == "creating")
      s.status = Status::kCreating;
    else if (status == "created")
      s.status = Status::kCreated;
    else if (status == "running")
      s.status = Status::kRunning;
    else if (status == "stopped")
      s.status = Status::kStopped;
    else
      return make_error(Code::kInvalidArgument, "state.json: bad status \"" + status + "\"");
    opt(j, "pid", &s.pid);
    opt(j, "bundle", &s.bundle);
    opt(j, "annotations", &s.annotations);
    return s;
  } catch (const Json::exception& e) {
    return make_error(Code::kInvalidArgument, std::string("state.json: ") + e.what());
  }
}

std::string state_to_json(const State& s, bool pretty) {
  Json j = {{"ociVersion", s.oci_version},
            {"id", s.id},
            {"status", status_name(s.status)},
            {"pid", s.pid},
            {"bundle", s.bundle}};
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  return pretty ? j.dump(2, ' ', false, Json::error_handler_t::replace) : dump_json(j);
}

const Namespace* find_namespace(const Spec& spec, const std::string& type) {
  if (!spec.linux_) return nullptr;
  for (auto& n : spec.linux_->namespaces)
    if (n.type == type) return &n;
  return nullptr;
}

}  // namespace berth::oci
