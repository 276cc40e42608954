#include "engine/spec_builder.h"

#include <sys/stat.h>

#include "base/file.h"
#include "base/path.h"
#include "engine/host_config.h"
#include "engine/user_lookup.h"

namespace berth::engine {

namespace {
// Docker's default capability set (moby oci/caps/defaults.go).
const char* kDefaultCaps[] = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",    "CAP_AUDIT_WRITE"};

const char* kMaskedPaths[] = {
    "/proc/asound",     "/proc/acpi",        "/proc/interrupts",
    "/proc/kcore",      "/proc/keys",        "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/proc/scsi",       "/sys/firmware",     "/sys/devices/virtual/powercap"};
const char* kReadonlyPaths[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                "/proc/sysrq-trigger"};

Json mount(const std::string& dest, const std::string& type, const std::string& source,
           std::vector<std::string> options) {
  return Json{{"destination", dest}, {"type", type}, {"source", source}, {"options", options}};
}

std::string env_key(const std::string& kv) { return kv.substr(0, kv.find('=')); }
}  // namespace

std::vector<std::string> merged_env(const Container& c) {
  std::vector<std::string> env(c.config.env.begin(), c.config.env.end());
  auto has = [&](const std::string& key) {
    for (auto& e : env)
      if (env_key(e) == key) return true;
    return false;
  };
  std::vector<std::string> out;
  if (!has("PATH"))
    out.push_back("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  if (!has("HOSTNAME")) out.push_back("HOSTNAME=" + c.config.hostname);
  if (c.tty() && !has("TERM")) out.push_back("TERM=xterm");
  out.insert(out.end(), env.begin(), env.end());
  return out;
}

// The result is the OCI runtime config (config.json), kept as JSON: not an Engine API object.
Result<Json> build_spec(const Container& c, const SpecPaths& paths) {
  BERTH_TRY_ASSIGN(ResolvedUser user, resolve_user(paths.rootfs, c.config.user));
  std::string cwd = c.config.working_dir;
  if (cwd.empty()) cwd = "/";
  // Docker creates a missing working directory, owned by root, inside the rootfs.
  BERTH_TRY_ASSIGN(std::string cwd_host, resolve_in_root(paths.rootfs, cwd));
  if (!is_directory(cwd_host))
    BERTH_TRY_CTX(make_dirs(cwd_host), "create working directory " + cwd);

  std::vector<std::string> args{c.path};
  args.insert(args.end(), c.args.begin(), c.args.end());
  Json gids = Json::array();
  for (unsigned g : user.additional_gids) gids.push_back(g);

  Json caps = Json::array();
  for (const char* cap : kDefaultCaps) caps.push_back(cap);

  Json process{{"terminal", c.tty()},
               {"user", {{"uid", user.uid}, {"gid", user.gid}, {"additionalGids", gids}}},
               {"args", args},
               {"env", merged_env(c)},
               {"cwd", cwd},
               {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
               {"noNewPrivileges", false}};

  Json mounts = Json::array({
      mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mount("/dev/pts", "devpts", "devpts",
            {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      mount("/dev/shm", "tmpfs", "shm",
            {"nosuid", "noexec", "nodev", "mode=1777", "size=67108864"}),
  });
  for (const char* file : {"resolv.conf", "hostname", "hosts"}) {
    mounts.push_back(mount(std::string("/etc/") + file, "bind", paths.container_dir + "/" + file,
                           {"rbind", "rprivate"}));
  }

  // Docker's default device cgroup: deny all, allow the standard nodes, ptys, and mknod.
  auto allow = [](const char* type, int major, int minor, const char* access) {
    Json rule{{"allow", true}, {"type", type}, {"access", access}};
    if (major >= 0) rule["major"] = major;
    if (minor >= 0) rule["minor"] = minor;
    return rule;
  };
  Json resources{{"devices", Json::array({{{"allow", false}, {"access", "rwm"}},
                                          allow("c", -1, -1, "m"),
                                          allow("b", -1, -1, "m"),
                                          allow("c", 1, 3, "rwm"),
                                          allow("c", 1, 8, "rwm"),
                                          allow("c", 1, 7, "rwm"),
                                          allow("c", 5, 0, "rwm"),
                                          allow("c", 1, 5, "rwm"),
                                          allow("c", 1, 9, "rwm"),
                                          allow("c", 136, -1, "rwm"),
                                          allow("c", 5, 2, "rwm"),
                                          allow("c", 10, 200, "rwm")})}};

  Json linux_section{
      {"namespaces", Json::array({{{"type", "pid"}},
                                  {{"type", "ipc"}},
                                  {{"type", "uts"}},
                                  {{"type", "mount"}},
                                  {{"type", "network"}},
                                  {{"type", "cgroup"}}})},
      {"cgroupsPath", paths.cgroups_path},
      {"resources", resources},
      {"maskedPaths", std::vector<std::string>(std::begin(kMaskedPaths), std::end(kMaskedPaths))},
      {"readonlyPaths",
       std::vector<std::string>(std::begin(kReadonlyPaths), std::end(kReadonlyPaths))}};

  Json spec{{"ociVersion", "1.0.2"},
            {"process", process},
            {"root", {{"path", paths.rootfs}, {"readonly", c.host_config.readonly_rootfs}}},
            {"hostname", c.config.hostname},
            {"mounts", mounts},
            {"linux", linux_section}};
  BERTH_TRY(apply_host_config(c.host_config, {paths.rootfs, paths.init_path}, spec));
  return spec;
}

}  // namespace berth::engine
