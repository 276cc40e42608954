// The config.json `runc spec` writes, minus seccomp: a good starting point for a bundle.
#include "oci/spec_json.h"

namespace berth::oci {

Spec default_spec() {
  Spec s;
  s.process.terminal = true;
  s.process.args = {"sh"};
  s.process.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                   "TERM=xterm"};
  s.process.cwd = "/";
  s.process.no_new_privileges = true;
  std::vector<std::string> caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  s.process.capabilities = Capabilities{caps, caps, {}, caps, {}};
  s.process.rlimits = {{"RLIMIT_NOFILE", 1024, 1024}};
  s.root = Root{"rootfs", true};
  s.hostname = "runc";
  s.mounts = {
      {"/proc", "proc", "proc", {}},
      {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      {"/dev/pts",
       "devpts",
       "devpts",
       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
      {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
      {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}},
      {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}},
      {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
  };
  Linux l;
  l.namespaces = {{"pid", ""}, {"network", ""}, {"ipc", ""},
                  {"uts", ""}, {"mount", ""},   {"cgroup", ""}};
  l.masked_paths = {"/proc/acpi",        "/proc/asound",        "/proc/kcore",
                    "/proc/keys",        "/proc/latency_stats", "/proc/timer_list",
                    "/proc/timer_stats", "/proc/sched_debug",   "/sys/firmware",
                    "/proc/scsi"};
  l.readonly_paths = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
  s.linux_ = l;
  return s;
}

}  // namespace berth::oci
