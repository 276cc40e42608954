// run/create flags into the body docker sends to POST /containers/create: Config fields at the
// top, HostConfig, NetworkingConfig.  Parsing follows docker's cli/command/container/opts.go;
// errors are docker's flag errors ("invalid argument ... for ... flag: ...").
#include "cli/container/container_config.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "cli/flags/timeutil.h"
#include "cli/streams/attach.h"
#include "model/container_json.h"

namespace berth::cli {

void add_container_flags(Flags& flags, bool run) {
  if (run) {
    flags.add_bool("detach", 'd', "Run container in background and print container ID");
    flags.add_bool("rm", 0, "Automatically remove the container and its volumes when it exits");
    flags.add_bool("sig-proxy", 0, "Proxy received signals to the process");
    flags.add_string("detach-keys", 0, "", "Override the key sequence for detaching a container");
  }
  flags.add_bool("interactive", 'i', "Keep STDIN open even if not attached");
  flags.add_bool("tty", 't', "Allocate a pseudo-TTY");
  flags.add_list("env", 'e', "Set environment variables");
  flags.add_list("env-file", 0, "Read in a file of environment variables");
  flags.add_string("workdir", 'w', "", "Working directory inside the container");
  flags.add_string("user", 'u', "", "Username or UID (format: <name|uid>[:<group|gid>])");
  flags.add_string("name", 0, "", "Assign a name to the container");
  flags.add_string("hostname", 'h', "", "Container host name");
  flags.add_string("domainname", 0, "", "Container NIS domain name");
  flags.add_string("entrypoint", 0, "", "Overwrite the default ENTRYPOINT of the image");
  flags.add_list("label", 'l', "Set meta data on a container");
  flags.add_list("label-file", 0, "Read in a line delimited file of labels");
  flags.add_list("volume", 'v', "Bind mount a volume");
  flags.add_list("mount", 0, "Attach a filesystem mount to the container");
  flags.add_list("publish", 'p', "Publish a container's port(s) to the host");
  flags.add_bool("publish-all", 'P', "Publish all exposed ports to random ports");
  flags.add_list("expose", 0, "Expose a port or a range of ports");
  flags.add_string("network", 0, "", "Connect a container to a network");
  flags.add_string("net", 0, "", "Connect a container to a network");
  flags.add_list("dns", 0, "Set custom DNS servers");
  flags.add_list("dns-search", 0, "Set custom DNS search domains");
  flags.add_list("dns-option", 0, "Set DNS options");
  flags.add_string("restart", 0, "no", "Restart policy to apply when a container exits");
  flags.add_bool("privileged", 0, "Give extended privileges to this container");
  flags.add_bool("init", 0, "Run an init inside the container");
  flags.add_bool("read-only", 0, "Mount the container's root filesystem as read only");
  flags.add_string("stop-signal", 0, "", "Signal to stop the container");
  flags.add_string("stop-timeout", 0, "", "Timeout (in seconds) to stop a container");
  flags.add_string("memory", 'm', "", "Memory limit");
  flags.add_string("memory-swap", 0, "", "Swap limit equal to memory plus swap: -1 for unlimited");
  flags.add_string("memory-reservation", 0, "", "Memory soft limit");
  flags.add_string("cpus", 0, "", "Number of CPUs");
  flags.add_string("cpu-shares", 'c', "", "CPU shares (relative weight)");
  flags.add_string("cpu-period", 0, "", "Limit CPU CFS (Completely Fair Scheduler) period");
  flags.add_string("cpu-quota", 0, "", "Limit CPU CFS (Completely Fair Scheduler) quota");
  flags.add_string("cpuset-cpus", 0, "", "CPUs in which to allow execution (0-3, 0,1)");
  flags.add_string("cpuset-mems", 0, "", "MEMs in which to allow execution (0-3, 0,1)");
  flags.add_string("pids-limit", 0, "", "Tune container pids limit (set -1 for unlimited)");
  flags.add_string("blkio-weight", 0, "", "Block IO (relative weight), between 10 and 1000");
  flags.add_list("ulimit", 0, "Ulimit options");
  flags.add_string("shm-size", 0, "", "Size of /dev/shm");
  flags.add_list("cap-add", 0, "Add Linux capabilities");
  flags.add_list("cap-drop", 0, "Drop Linux capabilities");
  flags.add_list("security-opt", 0, "Security Options");
  flags.add_list("tmpfs", 0, "Mount a tmpfs directory");
  flags.add_list("sysctl", 0, "Sysctl options");
  flags.add_list("device", 0, "Add a host device to the container");
  flags.add_list("add-host", 0, "Add a custom host-to-IP mapping (host:ip)");
  flags.add_list("group-add", 0, "Add additional groups to join");
  flags.add_bool("oom-kill-disable", 0, "Disable OOM Killer");
  flags.add_string("oom-score-adj", 0, "", "Tune host's OOM preferences (-1000 to 1000)");
  flags.add_string("health-cmd", 0, "", "Command to run to check health");
  flags.add_string("health-interval", 0, "", "Time between running the check (ms|s|m|h)");
  flags.add_string("health-timeout", 0, "", "Maximum time to allow one check to run (ms|s|m|h)");
  flags.add_string("health-retries", 0, "", "Consecutive failures needed to report unhealthy");
  flags.add_string("health-start-period", 0, "",
                   "Start period for the container to initialize before starting health-retries "
                   "countdown (ms|s|m|h)");
  flags.add_string("health-start-interval", 0, "",
                   "Time between running the check during the start period (ms|s|m|h)");
  flags.add_bool("no-healthcheck", 0, "Disable any container-specified HEALTHCHECK");
  flags.add_string("log-driver", 0, "", "Logging driver for the container");
  flags.add_list("log-opt", 0, "Log driver options");
  flags.add_string("ipc", 0, "", "IPC mode to use");
  flags.add_string("pid", 0, "", "PID namespace to use");
  flags.add_string("uts", 0, "", "UTS namespace to use");
  flags.add_string("userns", 0, "", "User namespace to use");
  flags.add_string("cgroupns", 0, "", "Cgroup namespace to use (host|private)");
  flags.add_string("cgroup-parent", 0, "", "Optional parent cgroup for the container");
  flags.add_string("runtime", 0, "", "Runtime to use for this container");
  flags.add_string("platform", 0, "", "Set platform if server is multi-platform capable");
  flags.add_string("pull", 0, "missing",
                   "Pull image before running (\"always\", \"missing\", \"never\")");
  flags.add_bool("quiet", 'q', "Suppress the pull output");
}

namespace {

Error flag_value_error(const std::string& flag, const std::string& value, const std::string& why) {
  return make_error(Code::kInvalidArgument,
                    "invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
}

Status add_env(model::List<std::string>& env, const std::string& item) {
  if (item.empty() || item[0] == '=')
    return make_error(Code::kInvalidArgument, "invalid environment variable: " + item);
  if (item.find('=') != std::string::npos) {
    env.push_back(item);
  } else if (const char* value = std::getenv(item.c_str())) {
    env.push_back(item + "=" + value);  // "-e VAR" takes the client's value; unset is dropped
  }
  return ok_status();
}

Status read_lines(const std::string& file, std::vector<std::string>* out) {
  auto text = read_file(file);
  if (!text.ok()) {
    return make_error(Code::kInvalidArgument,
                      "open " + file + ": " + std::string(std::strerror(text.error().sys_errno)));
  }
  for (const std::string& raw : split(*text, '\n')) {
    std::string l = raw;
    size_t a = l.find_first_not_of(" \t\r");
    l = a == std::string::npos ? "" : l.substr(a);
    while (!l.empty() && (l.back() == '\r')) l.pop_back();
    if (l.empty() || l[0] == '#') continue;
    out->push_back(l);
  }
  return ok_status();
}

Status add_publish(model::Map<model::EmptyObject>& exposed,
                   model::Map<model::List<model::PortBinding>>& bindings, const std::string& spec) {
  // [ip:][host_port:]container_port[/proto]
  std::string rest = spec;
  std::string proto = "tcp";
  size_t slash = rest.rfind('/');
  if (slash != std::string::npos) {
    proto = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string ip, host_port, container_port;
  size_t last = rest.rfind(':');
  if (last == std::string::npos) {
    container_port = rest;
  } else {
    container_port = rest.substr(last + 1);
    std::string front = rest.substr(0, last);
    size_t mid = front.rfind(':');
    if (mid == std::string::npos) {
      host_port = front;
    } else {
      ip = front.substr(0, mid);
      host_port = front.substr(mid + 1);
      if (ip.size() >= 2 && ip.front() == '[') ip = ip.substr(1, ip.size() - 2);
    }
  }
  long long n = 0;
  if (!parse_int64(container_port, &n) || n <= 0 || n > 65535)
    return make_error(Code::kInvalidArgument, "invalid containerPort: " + container_port);
  std::string key = container_port + "/" + proto;
  exposed[key] = {};
  model::PortBinding binding;
  binding.host_ip = ip;
  binding.host_port = host_port;
  bindings[key].push_back(std::move(binding));
  return ok_status();
}

Result<int64_t> int_flag(const Flags& flags, const std::string& name, const std::string& shown) {
  long long v = 0;
  std::string s = flags.get_string(name);
  if (!parse_int64(s, &v))
    return flag_value_error(shown, s, "strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
  return static_cast<int64_t>(v);
}

Result<int64_t> ram_flag(const Flags& flags, const std::string& name, const std::string& shown) {
  std::string s = flags.get_string(name);
  if (name == "memory-swap" && s == "-1") return int64_t{-1};
  auto v = parse_ram_bytes(s);
  if (!v.ok()) return flag_value_error(shown, s, v.error().message);
  return v;
}

// Sets *out to the flag's value when it was given (else leaves docker's zero value).
Status int_flag_into(const Flags& flags, const char* name, const char* shown, int64_t* out) {
  if (flags.changed(name)) {
    BERTH_TRY_ASSIGN(*out, int_flag(flags, name, shown));
  }
  return ok_status();
}
Status ram_flag_into(const Flags& flags, const char* name, const char* shown, int64_t* out) {
  if (flags.changed(name)) {
    BERTH_TRY_ASSIGN(*out, ram_flag(flags, name, shown));
  }
  return ok_status();
}

Result<int64_t> duration_flag(const Flags& flags, const std::string& name) {
  std::string s = flags.get_string(name);
  auto d = parse_go_duration(s);
  if (!d.ok()) return flag_value_error("--" + name, s, d.error().message);
  if (*d < 0) return make_error(Code::kInvalidArgument, "--" + name + " cannot be negative");
  return d;
}

// "CAP_" prefix, upper case, "ALL" as is: docker's opts.EffectiveCapAddCapDrop normalisation.
// None given: null.
model::List<std::string> normalize_caps(const std::vector<std::string>& caps) {
  model::List<std::string> out;
  for (std::string c : caps) {
    for (char& ch : c) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (c != "ALL" && c.rfind("CAP_", 0) != 0) c = "CAP_" + c;
    out.push_back(c);
  }
  return out;
}

// A list that is null when `items` is empty (Go's nil slice), else the items.
model::List<std::string> list_or_null(const std::vector<std::string>& items) {
  model::List<std::string> out;
  for (const std::string& i : items) out.push_back(i);
  return out;
}

Result<model::List<std::string>> security_opts(const std::vector<std::string>& opts) {
  model::List<std::string> out;
  for (const std::string& o : opts) {
    if (o == "no-new-privileges") {
      out.push_back(o);
      continue;
    }
    size_t eq = o.find('=');
    if (eq == std::string::npos) eq = o.find(':');
    if (eq == std::string::npos)
      return make_error(Code::kInvalidArgument, "Invalid --security-opt: \"" + o + "\"");
    std::string key = o.substr(0, eq), value = o.substr(eq + 1);
    if (key == "seccomp" && value != "unconfined") {
      auto text = read_file(value);
      if (!text.ok()) {
        return make_error(Code::kInvalidArgument, "opening seccomp profile (" + value +
                                                      ") failed: open " + value + ": " +
                                                      std::strerror(text.error().sys_errno));
      }
      // The profile is sent compacted, as a string: parse and dump it (it is not an API object).
      auto j = parse_json(*text, "seccomp profile");
      if (!j.ok()) {
        return make_error(Code::kInvalidArgument,
                          "compacting json for seccomp profile (" + value + ") failed");
      }
      out.push_back("seccomp=" + dump_json(*j));
      continue;
    }
    out.push_back(key + "=" + value);
  }
  return out;
}

// An enum member from a flag's text.  A value the model does not know is still sent as given,
// so the daemon refuses it in its own words: it goes to spec->wire_strings under `pointer`.
template <class E>
void set_enum(const std::string& text, E* out, const std::string& pointer, ContainerSpec* spec) {
  if (!model::from_string(text, out)) spec->wire_strings.emplace_back(pointer, text);
}

// One --mount; `index` is its place in HostConfig.Mounts.
Result<model::Mount> parse_mount(const std::string& spec, size_t index, ContainerSpec* out) {
  model::Mount m;
  m.type = model::MountType::kVolume;
  std::string at = "/HostConfig/Mounts/" + std::to_string(index);
  bool has_target = false;
  auto volume_options = [&m]() -> model::MountVolumeOptions& {
    if (!m.volume_options) m.volume_options.emplace();
    return *m.volume_options;
  };
  auto driver_config = [&]() -> model::MountDriverConfig& {
    auto& vo = volume_options();
    if (!vo.driver_config) vo.driver_config.emplace();
    return *vo.driver_config;
  };
  auto tmpfs_options = [&m]() -> model::MountTmpfsOptions& {
    if (!m.tmpfs_options) m.tmpfs_options.emplace();
    return *m.tmpfs_options;
  };
  for (const std::string& field : split(spec, ',')) {
    size_t eq = field.find('=');
    std::string k = to_lower(trim(field.substr(0, eq)));
    std::string v = eq == std::string::npos ? "" : field.substr(eq + 1);
    if (k == "type") {
      set_enum(v, &m.type, at + "/Type", out);
    } else if (k == "source" || k == "src") {
      m.source = v;
    } else if (k == "target" || k == "destination" || k == "dst") {
      m.target = v;
      has_target = true;
    } else if (k == "readonly" || k == "ro") {
      m.read_only = eq == std::string::npos || v == "true" || v == "1";
    } else if (k == "bind-propagation") {
      if (!m.bind_options) m.bind_options.emplace();
      set_enum(v, &m.bind_options->propagation, at + "/BindOptions/Propagation", out);
    } else if (k == "tmpfs-size") {
      auto n = parse_ram_bytes(v);
      if (!n.ok()) return n.error();
      tmpfs_options().size_bytes = *n;
    } else if (k == "tmpfs-mode") {
      tmpfs_options().mode = std::strtol(v.c_str(), nullptr, 8);
    } else if (k == "volume-nocopy") {
      volume_options().no_copy = eq == std::string::npos || v == "true" || v == "1";
    } else if (k == "volume-driver") {
      driver_config().name = v;
    } else if (k == "volume-opt" || k == "volume-label") {
      // "volume-opt=o=size=1m": the value is itself key=value, split at its first '='.
      // docker ignores an empty key and takes a missing '=' as an empty value.
      size_t inner = v.find('=');
      model::Map<std::string>& into =
          k == "volume-opt" ? driver_config().options : volume_options().labels;
      if (inner != 0 && !v.empty())
        into[v.substr(0, inner)] = inner == std::string::npos ? "" : v.substr(inner + 1);
    } else if (k == "consistency") {
      m.consistency = v;
    } else {
      return make_error(Code::kInvalidArgument, "unexpected key '" + k + "' in '" + field + "'");
    }
  }
  if (!has_target) return make_error(Code::kInvalidArgument, "target is required");
  return m;
}

}  // namespace

std::string create_body_json(const ContainerSpec& spec) {
  Json body = model::to_json(spec.body);
  // The JSON edge: wire strings the model's enums cannot hold (see ContainerSpec::wire_strings).
  for (const auto& [pointer, text] : spec.wire_strings) body[Json::json_pointer(pointer)] = text;
  return dump_json(body);
}

Result<ContainerSpec> build_container_spec(const Flags& flags, bool run) {
  ContainerSpec spec;
  if (flags.args().empty())
    return make_error(Code::kInvalidArgument, std::string("\"berth ") + (run ? "run" : "create") +
                                                  "\" requires at least 1 argument.");
  spec.image = flags.args()[0];
  std::vector<std::string> cmd(flags.args().begin() + 1, flags.args().end());
  spec.name = flags.get_string("name");
  spec.tty = flags.get_bool("tty");
  spec.interactive = flags.get_bool("interactive");
  spec.detach = run && flags.get_bool("detach");
  spec.auto_remove = run && flags.get_bool("rm");
  bool attach = run && !spec.detach;
  if (run && flags.changed("detach-keys")) {
    BERTH_TRY_ASSIGN(spec.detach_keys, parse_detach_keys(flags.get_string("detach-keys")));
    spec.detach_keys_spec = flags.get_string("detach-keys");
  }
  model::ContainerCreateRequest& b = spec.body;

  for (const std::string& file : flags.get_list("env-file")) {
    std::vector<std::string> lines;
    BERTH_TRY(read_lines(file, &lines));
    for (const std::string& l : lines) {
      std::string name = l.substr(0, l.find('='));
      if (name.find_first_of(" \t") != std::string::npos)
        return make_error(Code::kInvalidArgument, "variable '" + name + "' contains whitespaces");
      BERTH_TRY(add_env(b.env, l));
    }
  }
  for (const std::string& e : flags.get_list("env")) BERTH_TRY(add_env(b.env, e));

  b.labels.set_empty();  // docker sends {} without labels
  std::vector<std::string> label_items;
  for (const std::string& file : flags.get_list("label-file"))
    BERTH_TRY(read_lines(file, &label_items));
  for (const std::string& l : flags.get_list("label")) label_items.push_back(l);
  for (const std::string& l : label_items) {
    size_t eq = l.find('=');
    b.labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  model::HostConfig& host = b.host_config.emplace();
  host.port_bindings.set_empty();
  for (const std::string& p : flags.get_list("publish")) {
    auto st = add_publish(b.exposed_ports, host.port_bindings, p);
    if (!st.ok()) return flag_value_error("-p, --publish", p, st.error().message);
  }
  for (const std::string& e : flags.get_list("expose")) {
    b.exposed_ports[e.find('/') == std::string::npos ? e + "/tcp" : e] = {};
  }
  for (const std::string& v : flags.get_list("volume")) {
    if (v.find(':') == std::string::npos) {
      b.volumes[v] = {};  // an anonymous volume
    } else {
      host.binds.push_back(v);
    }
  }

  b.hostname = flags.get_string("hostname");
  b.domainname = flags.get_string("domainname");
  b.user = flags.get_string("user");
  b.attach_stdin = attach && spec.interactive;
  b.attach_stdout = attach;
  b.attach_stderr = attach;
  b.tty = spec.tty;
  b.open_stdin = spec.interactive;
  b.stdin_once = attach && spec.interactive;
  b.cmd = list_or_null(cmd);
  bool no_health = flags.get_bool("no-healthcheck");
  bool health_flags = false;
  for (const char* f : {"health-cmd", "health-interval", "health-timeout", "health-retries",
                        "health-start-period", "health-start-interval"}) {
    if (flags.changed(f)) health_flags = true;
  }
  if (no_health && health_flags)
    return make_error(Code::kInvalidArgument, "--no-healthcheck conflicts with --health-* options");
  if (no_health) {
    b.healthcheck.emplace().test = {"NONE"};
  } else if (health_flags) {
    model::HealthConfig& h = b.healthcheck.emplace();
    if (flags.changed("health-cmd")) h.test = {"CMD-SHELL", flags.get_string("health-cmd")};
    struct {
      const char* flag;
      int64_t* into;
    } durations[] = {{"health-interval", &h.interval},
                     {"health-timeout", &h.timeout},
                     {"health-start-period", &h.start_period},
                     {"health-start-interval", &h.start_interval}};
    for (const auto& d : durations) {
      if (flags.changed(d.flag)) {
        BERTH_TRY_ASSIGN(*d.into, duration_flag(flags, d.flag));
      }
    }
    BERTH_TRY(int_flag_into(flags, "health-retries", "--health-retries", &h.retries));
    if (h.retries < 0)
      return make_error(Code::kInvalidArgument, "--health-retries cannot be negative");
  }
  b.image = spec.image;
  b.working_dir = flags.get_string("workdir");
  if (flags.changed("entrypoint")) b.entrypoint = {flags.get_string("entrypoint")};
  if (flags.changed("stop-signal")) b.stop_signal = flags.get_string("stop-signal");
  if (flags.changed("stop-timeout")) {
    BERTH_TRY_ASSIGN(b.stop_timeout, int_flag(flags, "stop-timeout", "--stop-timeout"));
  }

  host.log_config.type = flags.get_string("log-driver");
  host.log_config.config.set_empty();
  for (const std::string& o : flags.get_list("log-opt")) {
    size_t eq = o.find('=');
    if (eq == std::string::npos)
      return flag_value_error("--log-opt", o, "invalid key value pair format: " + o);
    host.log_config.config[o.substr(0, eq)] = o.substr(eq + 1);
  }
  std::string network = flags.changed("network") ? flags.get_string("network")
                        : flags.changed("net")   ? flags.get_string("net")
                                                 : "default";
  host.network_mode = network;
  std::string restart = flags.get_string("restart");
  std::string restart_name = restart.substr(0, restart.find(':'));
  long long retries = 0;
  if (restart.find(':') != std::string::npos &&
      !parse_int64(restart.substr(restart.find(':') + 1), &retries)) {
    return make_error(Code::kInvalidArgument,
                      "invalid restart policy format: maximum retry "
                      "count must be an integer");
  }
  if (restart_name.empty()) restart_name = "no";
  if (spec.auto_remove && restart_name != "no")
    return make_error(Code::kInvalidArgument, "Conflicting options: --restart and --rm");
  set_enum(restart_name, &host.restart_policy.name, "/HostConfig/RestartPolicy/Name", &spec);
  host.restart_policy.maximum_retry_count = retries;
  host.auto_remove = spec.auto_remove;
  host.console_size = {0, 0};
  host.cap_add = normalize_caps(flags.get_list("cap-add"));
  host.cap_drop = normalize_caps(flags.get_list("cap-drop"));
  set_enum(flags.get_string("cgroupns"), &host.cgroupns_mode, "/HostConfig/CgroupnsMode", &spec);
  host.dns = flags.get_list("dns");  // [] when none, as docker sends
  host.dns_options = flags.get_list("dns-option");
  host.dns_search = flags.get_list("dns-search");
  for (std::string h : flags.get_list("add-host")) {
    size_t eq = h.find('=');
    if (eq != std::string::npos) h[eq] = ':';  // docker 28 accepts host=ip and sends host:ip
    if (h.find(':') == std::string::npos)
      return flag_value_error("--add-host", h, "bad format for add-host: \"" + h + "\"");
    host.extra_hosts.push_back(h);
  }
  host.group_add = list_or_null(flags.get_list("group-add"));
  host.ipc_mode = flags.get_string("ipc");
  BERTH_TRY(int_flag_into(flags, "oom-score-adj", "--oom-score-adj", &host.oom_score_adj));
  host.pid_mode = flags.get_string("pid");
  host.privileged = flags.get_bool("privileged");
  host.publish_all_ports = flags.get_bool("publish-all");
  host.readonly_rootfs = flags.get_bool("read-only");
  BERTH_TRY_ASSIGN(host.security_opt, security_opts(flags.get_list("security-opt")));
  for (const std::string& t : flags.get_list("tmpfs")) {
    size_t colon = t.find(':');
    host.tmpfs[t.substr(0, colon)] = colon == std::string::npos ? "" : t.substr(colon + 1);
  }
  host.uts_mode = flags.get_string("uts");
  host.userns_mode = flags.get_string("userns");
  BERTH_TRY(ram_flag_into(flags, "shm-size", "--shm-size", &host.shm_size));
  for (const std::string& s : flags.get_list("sysctl")) {
    size_t eq = s.find('=');
    if (eq == std::string::npos)
      return flag_value_error("--sysctl", s, "sysctl '" + s + "' is not allowed");
    host.sysctls[s.substr(0, eq)] = s.substr(eq + 1);
  }
  if (flags.changed("runtime")) host.runtime = flags.get_string("runtime");

  // Resources, with docker's zero values for what was not given.
  BERTH_TRY(int_flag_into(flags, "cpu-shares", "-c, --cpu-shares", &host.cpu_shares));
  BERTH_TRY(ram_flag_into(flags, "memory", "-m, --memory", &host.memory));
  if (flags.changed("cpus")) {
    std::string s = flags.get_string("cpus");
    char* end = nullptr;
    double cpus = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || cpus < 0)
      return flag_value_error("--cpus", s, "failed to parse " + s + " as a rational number");
    host.nano_cpus = static_cast<int64_t>(std::llround(cpus * 1e9));
  }
  host.cgroup_parent = flags.get_string("cgroup-parent");
  BERTH_TRY(int_flag_into(flags, "blkio-weight", "--blkio-weight", &host.blkio_weight));
  BERTH_TRY(int_flag_into(flags, "cpu-period", "--cpu-period", &host.cpu_period));
  BERTH_TRY(int_flag_into(flags, "cpu-quota", "--cpu-quota", &host.cpu_quota));
  host.cpuset_cpus = flags.get_string("cpuset-cpus");
  host.cpuset_mems = flags.get_string("cpuset-mems");
  host.devices.set_empty();
  for (const std::string& d : flags.get_list("device")) {
    std::vector<std::string> parts = split(d, ':');
    model::DeviceMapping dev;
    dev.path_on_host = parts[0];
    dev.path_in_container = parts.size() > 1 ? parts[1] : parts[0];
    dev.cgroup_permissions = "rwm";
    if (parts.size() == 2 && parts[1].find('/') == std::string::npos) {
      dev.path_in_container = parts[0];
      dev.cgroup_permissions = parts[1];
    } else if (parts.size() > 2) {
      dev.cgroup_permissions = parts[2];
    }
    host.devices.push_back(std::move(dev));
  }
  BERTH_TRY(
      ram_flag_into(flags, "memory-reservation", "--memory-reservation", &host.memory_reservation));
  BERTH_TRY(ram_flag_into(flags, "memory-swap", "--memory-swap", &host.memory_swap));
  host.oom_kill_disable = flags.get_bool("oom-kill-disable");
  if (flags.changed("pids-limit")) {
    BERTH_TRY_ASSIGN(int64_t pids, int_flag(flags, "pids-limit", "--pids-limit"));
    if (pids != 0) host.pids_limit = pids;
  }
  for (const std::string& u : flags.get_list("ulimit")) {
    size_t eq = u.find('=');
    long long soft = 0, hard = 0;
    std::string limits = eq == std::string::npos ? "" : u.substr(eq + 1);
    size_t colon = limits.find(':');
    bool ok = eq != std::string::npos && parse_int64(limits.substr(0, colon), &soft);
    hard = soft;
    if (ok && colon != std::string::npos) ok = parse_int64(limits.substr(colon + 1), &hard);
    if (!ok) return flag_value_error("--ulimit", u, "invalid ulimit argument: " + u);
    if (soft > hard)
      return flag_value_error("--ulimit", u,
                              "ulimit soft limit must be less than or equal to hard limit: " +
                                  std::to_string(soft) + " > " + std::to_string(hard));
    model::Ulimit limit;
    limit.name = u.substr(0, eq);
    limit.hard = hard;
    limit.soft = soft;
    host.ulimits.push_back(std::move(limit));
  }
  if (flags.get_bool("init")) host.init = true;
  for (const std::string& m : flags.get_list("mount")) {
    auto parsed = parse_mount(m, host.mounts.size(), &spec);
    if (!parsed.ok()) return flag_value_error("--mount", m, parsed.error().message);
    host.mounts.push_back(std::move(parsed).value());
  }
  model::NetworkingConfig& networking = b.networking_config.emplace();
  networking.endpoints_config.set_empty();
  if (network != "default" && network != "host" && network != "none" &&
      network.rfind("container:", 0) != 0) {
    networking.endpoints_config[network] = {};
  }
  return spec;
}

}  // namespace berth::cli
