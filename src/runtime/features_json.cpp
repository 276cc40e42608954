// `features`: what this runtime implements, in runc's JSON shape (runtime-spec features.md).
#include <seccomp.h>

#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "runtime/runtime.h"

namespace berth::runtime {

std::string features_json() {
  Json caps = Json::array();
  for (const char* c : {"CAP_CHOWN",
                        "CAP_DAC_OVERRIDE",
                        "CAP_DAC_READ_SEARCH",
                        "CAP_FOWNER",
                        "CAP_FSETID",
                        "CAP_KILL",
                        "CAP_SETGID",
                        "CAP_SETUID",
                        "CAP_SETPCAP",
                        "CAP_LINUX_IMMUTABLE",
                        "CAP_NET_BIND_SERVICE",
                        "CAP_NET_BROADCAST",
                        "CAP_NET_ADMIN",
                        "CAP_NET_RAW",
                        "CAP_IPC_LOCK",
                        "CAP_IPC_OWNER",
                        "CAP_SYS_MODULE",
                        "CAP_SYS_RAWIO",
                        "CAP_SYS_CHROOT",
                        "CAP_SYS_PTRACE",
                        "CAP_SYS_PACCT",
                        "CAP_SYS_ADMIN",
                        "CAP_SYS_BOOT",
                        "CAP_SYS_NICE",
                        "CAP_SYS_RESOURCE",
                        "CAP_SYS_TIME",
                        "CAP_SYS_TTY_CONFIG",
                        "CAP_MKNOD",
                        "CAP_LEASE",
                        "CAP_AUDIT_WRITE",
                        "CAP_AUDIT_CONTROL",
                        "CAP_SETFCAP",
                        "CAP_MAC_OVERRIDE",
                        "CAP_MAC_ADMIN",
                        "CAP_SYSLOG",
                        "CAP_WAKE_ALARM",
                        "CAP_BLOCK_SUSPEND",
                        "CAP_AUDIT_READ",
                        "CAP_PERFMON",
                        "CAP_BPF",
                        "CAP_CHECKPOINT_RESTORE"})
    caps.push_back(c);
  auto aa = read_file("/sys/module/apparmor/parameters/enabled");
  const scmp_version* v = seccomp_version();
  Json j = {
      {"ociVersionMin", "1.0.0"},
      {"ociVersionMax", "1.2.0"},
      {"hooks",
       {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}},
      {"mountOptions",
       {"async",      "atime",         "bind",    "defaults", "dev",         "diratime", "dirsync",
        "exec",       "mand",          "noatime", "nodev",    "nodiratime",  "noexec",   "nomand",
        "norelatime", "nostrictatime", "nosuid",  "private",  "rbind",       "relatime", "remount",
        "ro",         "rprivate",      "rshared", "rslave",   "runbindable", "rw",       "shared",
        "slave",      "strictatime",   "suid",    "sync",     "unbindable"}},
      {"linux",
       {{"namespaces", {"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"}},
        {"capabilities", caps},
        {"cgroup", {{"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}}},
        {"seccomp",
         {{"enabled", true},
          {"actions",
           {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"}},
          {"operators",
           {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
            "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}},
          {"archs",
           {"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64",
            "SCMP_ARCH_ARM"}},
          {"knownFlags", {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}},
          {"supportedFlags", {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}}}},
        {"apparmor", {{"enabled", aa && trim(*aa) == "Y"}}},
        {"selinux", {{"enabled", path_exists("/sys/fs/selinux/enforce")}}},
        {"intelRdt", {{"enabled", false}}},
        {"mountExtensions", {{"idmap", {{"enabled", true}}}}}}},
      {"annotations",
       {{"io.github.seccomp.libseccomp.version", std::to_string(v->major) + "." +
                                                     std::to_string(v->minor) + "." +
                                                     std::to_string(v->micro)},
        {"org.opencontainers.runc.checkpoint.enabled", "false"}}},
  };
  return j.dump(4);
}

}  // namespace berth::runtime
