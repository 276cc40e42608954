#include "engine/host_config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "base/file.h"
#include "base/path.h"
#include "base/strings.h"
#include "engine/user_lookup.h"
#include "oci/spec_json.h"
#include "runtime/capability_names.h"
#include "runtime/seccomp.h"

namespace berth::engine {

namespace {
std::string cap_name(const std::string& raw) {
  std::string up;
  for (char c : raw) up += static_cast<char>(toupper(static_cast<unsigned char>(c)));
  if (up == "ALL") return up;
  return up.rfind("CAP_", 0) == 0 ? up : "CAP_" + up;
}

bool known_cap(const std::string& name) { return runtime::capability_number(name) >= 0; }

// Sysctls a container may set: the namespaced ones (moby's ValidateSysctl).
bool namespaced_sysctl(const std::string& key) {
  static const char* kExact[] = {"kernel.msgmax",  "kernel.msgmnb",          "kernel.msgmni",
                                 "kernel.sem",     "kernel.shmall",          "kernel.shmmax",
                                 "kernel.shmmni",  "kernel.shm_rmid_forced", "kernel.domainname",
                                 "kernel.hostname"};
  for (auto* k : kExact)
    if (key == k) return true;
  return key.rfind("fs.mqueue.", 0) == 0 || key.rfind("net.", 0) == 0;
}

Json& resources(Json& spec) {
  Json& linux_section = spec["linux"];
  if (!linux_section.contains("resources") || !linux_section["resources"].is_object())
    linux_section["resources"] = Json::object();
  return linux_section["resources"];
}

void remove_mount(Json& spec, const std::string& destination) {
  Json& mounts = spec["mounts"];
  for (auto it = mounts.begin(); it != mounts.end();) {
    if ((*it)["destination"] == destination)
      it = mounts.erase(it);
    else
      ++it;
  }
}

Result<Json> device_entry(const std::string& host, const std::string& in_container,
                          const std::string& perms) {
  struct stat st;
  if (::stat(host.c_str(), &st) != 0)
    return make_error(Code::kInvalidArgument,
                      "error gathering device information while adding custom device \"" + host +
                          "\": no such file or directory");
  std::string type;
  if (S_ISCHR(st.st_mode))
    type = "c";
  else if (S_ISBLK(st.st_mode))
    type = "b";
  else
    return make_error(Code::kInvalidArgument,
                      "error gathering device information while adding custom device \"" + host +
                          "\": not a device node");
  Json dev{{"path", in_container},
           {"type", type},
           {"major", major(st.st_rdev)},
           {"minor", minor(st.st_rdev)},
           {"fileMode", st.st_mode & 07777},
           {"uid", 0},
           {"gid", 0}};
  Json rule{{"allow", true},
            {"type", type},
            {"major", major(st.st_rdev)},
            {"minor", minor(st.st_rdev)},
            {"access", perms.empty() ? "rwm" : perms}};
  return Json{{"device", dev}, {"rule", rule}};
}
}  // namespace

std::vector<std::string> daemon_capabilities() {
  std::vector<std::string> out;
  auto status = read_file("/proc/self/status");
  unsigned long long mask = ~0ULL;
  if (status) {
    auto pos = status->find("CapBnd:");
    if (pos != std::string::npos) mask = std::strtoull(status->c_str() + pos + 7, nullptr, 16);
  }
  int last_cap = 40;
  if (auto text = read_file("/proc/sys/kernel/cap_last_cap"); text)
    last_cap = std::atoi(text->c_str());
  auto names = runtime::capability_names();
  for (int i = 0; i <= last_cap && i < static_cast<int>(names.size()); ++i)
    if (mask & (1ULL << i)) out.emplace_back(names[i]);
  return out;
}

Status validate_host_config(const model::HostConfig& hc) {
  int64_t memory = hc.memory;
  int64_t swap = hc.memory_swap;
  int64_t reservation = hc.memory_reservation;
  if (memory > 0 && memory < 6 * 1024 * 1024)
    return make_error(Code::kInvalidArgument, "Minimum memory limit allowed is 6MB");
  if (memory > 0 && swap > 0 && swap < memory)
    return make_error(Code::kInvalidArgument,
                      "Minimum memoryswap limit should be larger than memory limit, see usage");
  if (memory == 0 && swap > 0)
    return make_error(
        Code::kInvalidArgument,
        "You should always set the Memory limit when using Memoryswap limit, see usage");
  if (memory > 0 && reservation > memory)
    return make_error(
        Code::kInvalidArgument,
        "Minimum memory limit can not be less than memory reservation limit, see usage");
  if (reservation > 0 && reservation < 6 * 1024 * 1024)
    return make_error(Code::kInvalidArgument, "Minimum memory reservation allowed is 6MB");
  int64_t nano = hc.nano_cpus;
  if (nano > 0 && hc.cpu_period > 0)
    return make_error(Code::kInvalidArgument,
                      "Conflicting options: Nano CPUs and CPU Period cannot both be set");
  if (nano > 0 && hc.cpu_quota > 0)
    return make_error(Code::kInvalidArgument,
                      "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
  long ncpu = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (nano < 0 || nano > ncpu * 1000000000LL) {
    return make_error(Code::kInvalidArgument, "Range of CPUs is from 0.01 to " +
                                                  std::to_string(ncpu) + ".00, as there are only " +
                                                  std::to_string(ncpu) + " CPUs available");
  }
  int64_t period = hc.cpu_period;
  if (period != 0 && (period < 1000 || period > 1000000))
    return make_error(
        Code::kInvalidArgument,
        "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
  int64_t quota = hc.cpu_quota;
  if (quota > 0 && quota < 1000)
    return make_error(Code::kInvalidArgument, "CPU cfs quota can not be less than 1ms (i.e. 1000)");
  int64_t blkio = hc.blkio_weight;
  if (blkio != 0 && (blkio < 10 || blkio > 1000))
    return make_error(Code::kInvalidArgument, "Range of blkio weight is from 10 to 1000");
  if (hc.shm_size < 0) return make_error(Code::kInvalidArgument, "SHM size can not be less than 0");
  int64_t oom_adj = hc.oom_score_adj;
  if (oom_adj < -1000 || oom_adj > 1000)
    return make_error(Code::kInvalidArgument, "Invalid value " + std::to_string(oom_adj) +
                                                  ", range for oom score adj is [-1000, 1000]");
  for (const auto* caps : {&hc.cap_add, &hc.cap_drop}) {
    for (auto& raw : *caps) {
      std::string name = cap_name(raw);
      if (name != "ALL" && !known_cap(name))
        return make_error(Code::kInvalidArgument, "unknown capability: \"" + name + "\"");
    }
  }
  for (auto& opt : hc.security_opt) {
    std::string key = opt.substr(0, opt.find_first_of("=:"));
    if (key != "seccomp" && key != "no-new-privileges" && key != "apparmor" && key != "label" &&
        key != "systempaths")
      return make_error(Code::kInvalidArgument, "invalid --security-opt 2: \"" + opt + "\"");
  }
  for (auto& [key, value] : hc.sysctls) {
    if (!namespaced_sysctl(key))
      return make_error(Code::kInvalidArgument, "sysctl '" + key + "' is not allowed");
    if (key.rfind("net.", 0) == 0 && hc.network_mode == "host")
      return make_error(Code::kInvalidArgument,
                        "sysctl '" + key + "' not allowed in host network namespace");
  }
  using Mode = model::RestartPolicyMode;
  const model::RestartPolicy& policy = hc.restart_policy;
  bool restarts = policy.name != Mode::kEmpty && policy.name != Mode::kNo;
  if (hc.auto_remove && restarts)
    return make_error(Code::kInvalidArgument,
                      "can't create 'AutoRemove' container with restart policy");
  if (policy.name != Mode::kOnFailure && policy.maximum_retry_count != 0)
    return make_error(
        Code::kInvalidArgument,
        "invalid restart policy: maximum retry count can only be used with 'on-failure'");
  if (policy.maximum_retry_count < 0)
    return make_error(Code::kInvalidArgument,
                      "invalid restart policy: maximum retry count cannot be negative");
  for (auto& dev : hc.devices) {
    const std::string& host = dev.path_on_host;
    if (host.empty() || host[0] != '/')
      return make_error(Code::kInvalidArgument, "invalid device path " + host);
  }
  return ok_status();
}

// The spec is the OCI runtime config (config.json): lowercase OCI keys, not an API object.
Status apply_host_config(const model::HostConfig& hc, const HostConfigContext& ctx, Json& spec) {
  Json& process = spec["process"];
  Json& res = resources(spec);
  bool privileged = hc.privileged;

  // Memory
  int64_t memory = hc.memory;
  int64_t swap = hc.memory_swap;
  int64_t reservation = hc.memory_reservation;
  Json mem = res.value("memory", Json::object());
  if (memory > 0) mem["limit"] = memory;
  if (swap != 0)
    mem["swap"] = swap;  // -1: unlimited
  else if (memory > 0)
    mem["swap"] = memory * 2;  // Docker's default: as much swap as memory
  if (reservation > 0) mem["reservation"] = reservation;
  if (hc.oom_kill_disable.value_or(false)) mem["disableOOMKiller"] = true;
  if (!mem.empty()) res["memory"] = mem;

  // CPU
  Json cpu = Json::object();
  int64_t nano = hc.nano_cpus;
  if (nano > 0) {
    cpu["period"] = 100000;
    cpu["quota"] = nano * 100000 / 1000000000LL;
  }
  if (hc.cpu_shares > 0) cpu["shares"] = hc.cpu_shares;
  if (hc.cpu_quota != 0) cpu["quota"] = hc.cpu_quota;
  if (hc.cpu_period > 0) cpu["period"] = hc.cpu_period;
  if (!hc.cpuset_cpus.empty()) cpu["cpus"] = hc.cpuset_cpus;
  if (!hc.cpuset_mems.empty()) cpu["mems"] = hc.cpuset_mems;
  if (!cpu.empty()) res["cpu"] = cpu;

  if (int64_t pids = hc.pids_limit.value_or(0); pids > 0) res["pids"] = {{"limit", pids}};
  if (hc.blkio_weight > 0) res["blockIO"] = {{"weight", hc.blkio_weight}};

  // ulimits -> rlimits
  Json rlimits = Json::array();
  for (auto& u : hc.ulimits) {
    std::string up;
    for (char c : u.name) up += static_cast<char>(toupper(static_cast<unsigned char>(c)));
    rlimits.push_back({{"type", "RLIMIT_" + up}, {"soft", u.soft}, {"hard", u.hard}});
  }
  if (!rlimits.empty()) process["rlimits"] = rlimits;
  process["oomScoreAdj"] = hc.oom_score_adj;

  // /dev/shm size
  if (int64_t shm = hc.shm_size; shm > 0) {
    for (auto& m : spec["mounts"]) {
      if (m["destination"] == "/dev/shm") {
        m["options"] = {"nosuid", "noexec", "nodev", "mode=1777", "size=" + std::to_string(shm)};
      }
    }
  }

  // Capabilities: moby's TweakCapabilities, then SetCapabilities.
  std::vector<std::string> caps =
      process["capabilities"]["bounding"].get<std::vector<std::string>>();
  std::vector<std::string> adds, drops;
  for (auto& raw : hc.cap_add) adds.push_back(cap_name(raw));
  for (auto& raw : hc.cap_drop) drops.push_back(cap_name(raw));
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  if (privileged) {
    caps = daemon_capabilities();  // --privileged ignores --cap-add/--cap-drop
  } else if (has(adds, "ALL")) {
    caps.clear();
    for (auto& c : daemon_capabilities())
      if (!has(drops, c)) caps.push_back(c);
  } else if (has(drops, "ALL")) {
    caps.clear();  // "drop all, then add": only what --cap-add names
    for (auto& c : adds)
      if (!has(caps, c)) caps.push_back(c);
  } else if (!adds.empty() || !drops.empty()) {
    std::erase_if(caps, [&](const std::string& c) { return has(drops, c); });
    for (auto& c : adds)
      if (!has(caps, c)) caps.push_back(c);
  }
  // A non-root user starts with empty effective and permitted sets, as execve gives it.
  bool root = process["user"].value("uid", 0) == 0;
  process["capabilities"] = {{"bounding", caps}};
  if (root) {
    process["capabilities"]["effective"] = caps;
    process["capabilities"]["permitted"] = caps;
  }

  // Security options
  bool seccomp_unconfined = privileged;
  std::string seccomp_profile;  // Docker's profile format; "" = Docker's default
  for (auto& opt : hc.security_opt) {
    auto sep = opt.find_first_of("=:");
    std::string key = opt.substr(0, sep);
    std::string value = sep == std::string::npos ? "" : opt.substr(sep + 1);
    if (key == "no-new-privileges") {
      process["noNewPrivileges"] = value.empty() || value == "true";
    } else if (key == "seccomp") {
      if (value == "unconfined")
        seccomp_unconfined = true;
      else
        seccomp_profile = value;  // the docker CLI sends the file's JSON, not its path
    } else if (key == "apparmor") {
      process["apparmorProfile"] = value;
    } else if (key == "label") {
      // SELinux labels: the runtime applies them where SELinux is enabled.
      if (value.rfind("type:", 0) == 0)
        process["selinuxLabel"] = "system_u:system_r:" + value.substr(5) + ":s0";
    }
  }
  if (!seccomp_unconfined) {
    // As dockerd: the profile's rules for this container's capabilities, as linux.seccomp.
    auto seccomp = runtime::seccomp_from_docker_profile(
        seccomp_profile.empty() ? runtime::docker_default_seccomp_profile()
                                : std::string_view(seccomp_profile),
        caps);
    if (!seccomp) return std::move(seccomp).error().context("opening seccomp profile failed");
    BERTH_TRY_ASSIGN(spec["linux"]["seccomp"],
                     parse_json(oci::seccomp_to_json(*seccomp), "seccomp profile"));
  }

  if (privileged) {
    // No masked or read-only paths, /sys writable, every host device.
    spec["linux"]["maskedPaths"] = Json::array();
    spec["linux"]["readonlyPaths"] = Json::array();
    for (auto& m : spec["mounts"]) {
      if (m["destination"] == "/sys") m["options"] = {"nosuid", "noexec", "nodev"};
    }
    res["devices"] = Json::array({{{"allow", true}, {"access", "rwm"}}});
  }

  // Read-only rootfs
  if (hc.readonly_rootfs) spec["root"]["readonly"] = true;

  // --tmpfs
  for (auto& [dest, opts] : hc.tmpfs) {
    std::vector<std::string> options = {"noexec", "nosuid", "nodev"};
    if (!opts.empty())
      for (auto& o : split(opts, ',')) options.push_back(o);
    remove_mount(spec, dest);
    spec["mounts"].push_back(
        {{"destination", dest}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", options}});
  }

  // Sysctls
  if (!hc.sysctls.is_null()) {
    Json sysctl = Json::object();
    for (auto& [k, v] : hc.sysctls) sysctl[k] = v;
    spec["linux"]["sysctl"] = sysctl;
  }

  // Devices
  Json devices = spec["linux"].value("devices", Json::array());
  Json rules = res.value("devices", Json::array());
  for (auto& d : hc.devices) {
    const std::string& host = d.path_on_host;
    std::string in = d.path_in_container.empty() ? host : d.path_in_container;
    BERTH_TRY_ASSIGN(Json entry, device_entry(host, in, d.cgroup_permissions));
    devices.push_back(entry["device"]);
    rules.push_back(entry["rule"]);
  }
  if (!devices.empty()) spec["linux"]["devices"] = devices;
  if (!rules.empty()) res["devices"] = rules;

  // --group-add
  Json gids = process["user"].value("additionalGids", Json::array());
  for (auto& g : hc.group_add) {
    long long n;
    if (parse_int64(g, &n)) {
      gids.push_back(n);
      continue;
    }
    BERTH_TRY_ASSIGN(ResolvedUser u, resolve_user(ctx.rootfs, "0:" + g));
    gids.push_back(u.gid);
  }
  process["user"]["additionalGids"] = gids;

  // --init: tini as pid 1, bind-mounted read-only from the host
  if (hc.init.value_or(false) && !ctx.init_path.empty()) {
    spec["mounts"].push_back({{"destination", "/sbin/docker-init"},
                              {"type", "bind"},
                              {"source", ctx.init_path},
                              {"options", {"bind", "ro"}}});
    Json args = Json::array({"/sbin/docker-init", "--"});
    for (auto& a : process["args"]) args.push_back(a);
    process["args"] = args;
  }
  return ok_status();
}

}  // namespace berth::engine
