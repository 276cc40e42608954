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

Process parse_process_obj(const Json& j) {
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
  if (auto* b = member(j, "blockIO")) {
    BlockIo bio;
    opt(*b, "weight", &bio.weight);
    if (auto* wd = member(*b, "weightDevice")) {
      for (auto& e : *wd) {
        WeightDevice d;
        opt(e, "major", &d.major);
        opt(e, "minor", &d.minor);
        opt(e, "weight", &d.weight);
        bio.weight_device.push_back(d);
      }
    }
    auto throttle = [&](const char* key, std::vector<ThrottleDevice>* out) {
      if (auto* t = member(*b, key)) {
        for (auto& e : *t) {
          ThrottleDevice d;
          opt(e, "major", &d.major);
          opt(e, "minor", &d.minor);
          opt(e, "rate", &d.rate);
          out->push_back(d);
        }
      }
    };
    throttle("throttleReadBpsDevice", &bio.throttle_read_bps);
    throttle("throttleWriteBpsDevice", &bio.throttle_write_bps);
    throttle("throttleReadIOPSDevice", &bio.throttle_read_iops);
    throttle("throttleWriteIOPSDevice", &bio.throttle_write_iops);
    r.block_io = bio;
  }
  if (auto* h = member(j, "hugepageLimits")) {
    for (auto& e : *h) {
      HugepageLimit hl;
      opt(e, "pageSize", &hl.page_size);
      opt(e, "limit", &hl.limit);
      r.hugepage_limits.push_back(hl);
    }
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
  if (r.block_io) {
    Json b = Json::object();
    if (r.block_io->weight) b["weight"] = *r.block_io->weight;
    if (!r.block_io->weight_device.empty()) {
      Json a = Json::array();
      for (auto& d : r.block_io->weight_device) {
        Json e = {{"major", d.major}, {"minor", d.minor}};
        if (d.weight) e["weight"] = *d.weight;
        a.push_back(e);
      }
      b["weightDevice"] = a;
    }
    auto throttle = [&](const char* key, const std::vector<ThrottleDevice>& v) {
      if (v.empty()) return;
      Json a = Json::array();
      for (auto& d : v) a.push_back({{"major", d.major}, {"minor", d.minor}, {"rate", d.rate}});
      b[key] = a;
    };
    throttle("throttleReadBpsDevice", r.block_io->throttle_read_bps);
    throttle("throttleWriteBpsDevice", r.block_io->throttle_write_bps);
    throttle("throttleReadIOPSDevice", r.block_io->throttle_read_iops);
    throttle("throttleWriteIOPSDevice", r.block_io->throttle_write_iops);
    j["blockIO"] = b;
  }
  if (!r.hugepage_limits.empty()) {
    Json a = Json::array();
    for (auto& h : r.hugepage_limits) a.push_back({{"pageSize", h.page_size}, {"limit", h.limit}});
    j["hugepageLimits"] = a;
  }
  if (!r.unified.empty()) j["unified"] = r.unified;
  return j;
}

Seccomp parse_seccomp_json(const Json& j) {
  Seccomp sc;
  opt(j, "defaultAction", &sc.default_action);
  opt(j, "defaultErrnoRet", &sc.default_errno_ret);
  opt(j, "architectures", &sc.architectures);
  opt(j, "flags", &sc.flags);
  if (auto* sys = member(j, "syscalls")) {
    for (auto& e : *sys) {
      SeccompSyscall call;
      opt(e, "names", &call.names);
      opt(e, "action", &call.action);
      opt(e, "errnoRet", &call.errno_ret);
      if (auto* args = member(e, "args")) {
        for (auto& a : *args) {
          SeccompArg arg;
          opt(a, "index", &arg.index);
          opt(a, "value", &arg.value);
          opt(a, "valueTwo", &arg.value_two);
          opt(a, "op", &arg.op);
          call.args.push_back(arg);
        }
      }
      sc.syscalls.push_back(call);
    }
  }
  return sc;
}

Json seccomp_json(const Seccomp& sc) {
  Json j = {{"defaultAction", sc.default_action}};
  if (sc.default_errno_ret) j["defaultErrnoRet"] = *sc.default_errno_ret;
  if (!sc.architectures.empty()) j["architectures"] = sc.architectures;
  if (!sc.flags.empty()) j["flags"] = sc.flags;
  Json calls = Json::array();
  for (auto& c : sc.syscalls) {
    Json e = {{"names", c.names}, {"action", c.action}};
    if (c.errno_ret) e["errnoRet"] = *c.errno_ret;
    if (!c.args.empty()) {
      Json args = Json::array();
      for (auto& a : c.args)
        args.push_back(
            {{"index", a.index}, {"value", a.value}, {"valueTwo", a.value_two}, {"op", a.op}});
      e["args"] = args;
    }
    calls.push_back(e);
  }
  j["syscalls"] = calls;
  return j;
}

std::vector<Hook> parse_hooks(const Json* j) {
  std::vector<Hook> out;
  if (!j) return out;
  for (auto& e : *j) {
    Hook h;
    opt(e, "path", &h.path);
    opt(e, "args", &h.args);
    opt(e, "env", &h.env);
    opt(e, "timeout", &h.timeout);
    out.push_back(h);
  }
  return out;
}

Json hooks_json(const std::vector<Hook>& v) {
  Json a = Json::array();
  for (auto& h : v) {
    Json e = {{"path", h.path}};
    if (!h.args.empty()) e["args"] = h.args;
    if (!h.env.empty()) e["env"] = h.env;
    if (h.timeout) e["timeout"] = *h.timeout;
    a.push_back(e);
  }
  return a;
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
  if (auto* sc = member(j, "seccomp")) l.seccomp = parse_seccomp_json(*sc);
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
  if (l.seccomp) j["seccomp"] = seccomp_json(*l.seccomp);
  return j;
}

Spec parse_spec_json(const Json& j) {
  Spec s;
  opt(j, "ociVersion", &s.oci_version);
  if (auto* p = member(j, "process")) s.process = parse_process_obj(*p);
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
  if (auto* h = member(j, "hooks")) {
    s.hooks.prestart = parse_hooks(member(*h, "prestart"));
    s.hooks.create_runtime = parse_hooks(member(*h, "createRuntime"));
    s.hooks.create_container = parse_hooks(member(*h, "createContainer"));
    s.hooks.start_container = parse_hooks(member(*h, "startContainer"));
    s.hooks.poststart = parse_hooks(member(*h, "poststart"));
    s.hooks.poststop = parse_hooks(member(*h, "poststop"));
  }
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
  const Hooks& h = s.hooks;
  Json hooks = Json::object();
  auto add = [&](const char* key, const std::vector<Hook>& v) {
    if (!v.empty()) hooks[key] = hooks_json(v);
  };
  add("prestart", h.prestart);
  add("createRuntime", h.create_runtime);
  add("createContainer", h.create_container);
  add("startContainer", h.start_container);
  add("poststart", h.poststart);
  add("poststop", h.poststop);
  if (!hooks.empty()) j["hooks"] = hooks;
  return pretty ? j.dump(2, ' ', false, Json::error_handler_t::replace) : dump_json(j);
}

Result<Process> parse_process(std::string_view text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "process.json"));
  if (!j.is_object()) return make_error(Code::kInvalidArgument, "process.json: not an object");
  try {
    return parse_process_obj(j);
  } catch (const Json::exception& e) {
    return make_error(Code::kInvalidArgument, std::string("process.json: ") + e.what());
  }
}

std::string process_to_json(const Process& p) { return dump_json(process_json(p)); }

Result<Seccomp> parse_seccomp(std::string_view text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "seccomp"));
  if (!j.is_object()) return make_error(Code::kInvalidArgument, "seccomp: not an object");
  try {
    return parse_seccomp_json(j);
  } catch (const Json::exception& e) {
    return make_error(Code::kInvalidArgument, std::string("seccomp: ") + e.what());
  }
}

std::string seccomp_to_json(const Seccomp& sc) { return dump_json(seccomp_json(sc)); }

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
    case Status::kPaused:
      return "paused";
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
    else if (status == "paused")
      s.status = Status::kPaused;
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
