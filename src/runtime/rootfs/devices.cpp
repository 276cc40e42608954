// The standard /dev of a container: mknod where allowed, a bind of the host node where not
// (mknod fails with EPERM in a user namespace).
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/file.h"
#include "base/path.h"
#include "runtime/internal/rootfs.h"

namespace berth::runtime {

namespace {

const oci::Device kDefaultDevices[] = {
    {"c", "/dev/null", 1, 3, 0666, 0, 0},    {"c", "/dev/zero", 1, 5, 0666, 0, 0},
    {"c", "/dev/full", 1, 7, 0666, 0, 0},    {"c", "/dev/random", 1, 8, 0666, 0, 0},
    {"c", "/dev/urandom", 1, 9, 0666, 0, 0}, {"c", "/dev/tty", 5, 0, 0666, 0, 0},
};

Status make_node(const oci::Device& d, const std::string& rootfs) {
  BERTH_TRY_ASSIGN(std::string dest, resolve_in_root(rootfs, d.path));
  BERTH_TRY(make_dirs(dest.substr(0, dest.rfind('/'))));
  mode_t type = d.type == "b" ? S_IFBLK : d.type == "p" ? S_IFIFO : S_IFCHR;
  mode_t mode = d.file_mode.value_or(0666) & 07777;
  ::unlink(dest.c_str());
  if (::mknod(dest.c_str(), type | mode, makedev(d.major, d.minor)) == 0) {
    ::chmod(dest.c_str(), mode);  // mknod is subject to the umask
    if (::chown(dest.c_str(), d.uid.value_or(0), d.gid.value_or(0)) != 0)
      return sys_error("chown " + dest);
    return ok_status();
  }
  if (errno != EPERM) return sys_error("mknod " + dest);
  int fd = ::open(dest.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("create " + dest);
  ::close(fd);
  if (::mount(d.path.c_str(), dest.c_str(), nullptr, MS_BIND, nullptr) != 0)
    return sys_error("bind " + d.path + " on " + dest);
  return ok_status();
}

Status make_link(const std::string& target, const std::string& link) {
  ::unlink(link.c_str());
  if (::symlink(target.c_str(), link.c_str()) != 0) return sys_error("symlink " + link);
  return ok_status();
}

}  // namespace

Status create_devices(const oci::Spec& spec, const std::string& rootfs) {
  // Only a /dev the spec mounted (a tmpfs) is ours to fill; a bind of the host's is left alone.
  bool own_dev = false;
  for (auto& m : spec.mounts)
    if (clean_path(m.destination) == "/dev" && m.type != "bind") own_dev = true;
  if (own_dev) {
    mode_t old = ::umask(0);
    for (auto& d : kDefaultDevices) {
      auto st = make_node(d, rootfs);
      if (!st) {
        ::umask(old);
        return st;
      }
    }
    ::umask(old);
    std::string dev = rootfs + "/dev";
    BERTH_TRY(make_link("/proc/self/fd", dev + "/fd"));
    BERTH_TRY(make_link("/proc/self/fd/0", dev + "/stdin"));
    BERTH_TRY(make_link("/proc/self/fd/1", dev + "/stdout"));
    BERTH_TRY(make_link("/proc/self/fd/2", dev + "/stderr"));
    if (path_exists("/proc/kcore")) BERTH_TRY(make_link("/proc/kcore", dev + "/core"));
    // The devpts mounted with newinstance has its own ptmx; /dev/ptmx must point at it.
    if (path_exists(dev + "/pts/ptmx")) BERTH_TRY(make_link("pts/ptmx", dev + "/ptmx"));
  }
  if (spec.linux_)
    for (auto& d : spec.linux_->devices) BERTH_TRY(make_node(d, rootfs));
  return ok_status();
}

}  // namespace berth::runtime
