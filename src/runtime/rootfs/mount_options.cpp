#include <sys/mount.h>

#include <cstring>

#include "runtime/internal/rootfs.h"

namespace berth::runtime {

namespace {
struct Flag {
  const char* name;
  bool clear;
  unsigned long flag;
};
constexpr Flag kFlags[] = {
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"nosuid", false, MS_NOSUID},
    {"suid", true, MS_NOSUID},
    {"nodev", false, MS_NODEV},
    {"dev", true, MS_NODEV},
    {"noexec", false, MS_NOEXEC},
    {"exec", true, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},
    {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},
    {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK},
    {"nomand", true, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"atime", true, MS_NOATIME},
    {"nodiratime", false, MS_NODIRATIME},
    {"diratime", true, MS_NODIRATIME},
    {"relatime", false, MS_RELATIME},
    {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME},
    {"nostrictatime", true, MS_STRICTATIME},
};
struct Prop {
  const char* name;
  unsigned long flag;
};
constexpr Prop kProps[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};
}  // namespace

MountOptions parse_mount_options(const std::vector<std::string>& options) {
  MountOptions out;
  for (auto& o : options) {
    if (o == "bind") {
      out.bind = true;
      out.flags |= MS_BIND;
      continue;
    }
    if (o == "rbind") {
      out.bind = true;
      out.flags |= MS_BIND | MS_REC;
      continue;
    }
    bool known = false;
    for (auto& f : kFlags) {
      if (o == f.name) {
        if (f.clear)
          out.flags &= ~f.flag;
        else
          out.flags |= f.flag;
        known = true;
      }
    }
    for (auto& p : kProps) {
      if (o == p.name) {
        out.propagation = p.flag;
        known = true;
      }
    }
    if (known || o == "defaults") continue;
    if (!out.data.empty()) out.data += ",";
    out.data += o;
  }
  return out;
}

}  // namespace berth::runtime
