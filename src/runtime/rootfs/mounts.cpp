// spec.mounts inside the new mount namespace, before pivot_root.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "base/file.h"
#include "base/path.h"
#include "base/strings.h"
#include "runtime/internal/rootfs.h"

namespace berth::runtime {

namespace {

Status do_mount(const std::string& src, const std::string& dst, const char* type,
                unsigned long flags, const std::string& data) {
  if (::mount(src.c_str(), dst.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) != 0)
    return sys_error("mount " + (type && *type ? std::string(type) : src) + " on " + dst);
  return ok_status();
}

// Creates the mount point: a dir, or an empty file when binding a non-directory.
Status make_mount_point(const std::string& path, bool file) {
  if (!file) return make_dirs(path);
  BERTH_TRY(make_dirs(path.substr(0, path.rfind('/'))));
  if (path_exists(path)) return ok_status();
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("create mount point " + path);
  ::close(fd);
  return ok_status();
}

// cgroup v1 hierarchies as the host mounted them: mount each again below dest (in our cgroup
// namespace the kernel shows the container's own cgroup as the root).
Status mount_cgroups(const std::string& dest, unsigned long flags) {
  BERTH_TRY(do_mount("tmpfs", dest, "tmpfs",
                     (flags & ~MS_RDONLY) | MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=755"));
  auto info = read_file("/proc/self/mountinfo");
  if (!info) return std::move(info).error();
  // Our cgroup per hierarchy ("4:memory:/docker/abc"; "0::/x" for v2).  Without a cgroup
  // namespace that is a subdir of the hierarchy: it is bound over the mount, as runc does, so the
  // container sees its own limits at /sys/fs/cgroup/<controller>.
  std::vector<std::pair<std::string, std::string>> own;  // controllers, path
  if (auto cg = read_file("/proc/self/cgroup"))
    for (auto& line : split(*cg, '\n')) {
      auto c1 = line.find(':'), c2 = line.find(':', c1 + 1);
      if (c1 != std::string::npos && c2 != std::string::npos)
        own.emplace_back(line.substr(c1 + 1, c2 - c1 - 1), line.substr(c2 + 1));
    }
  auto own_path = [&](const std::string& controllers) -> std::string {
    for (auto& [c, p] : own)
      if (c == controllers) return p;
    return "/";
  };
  for (auto& line : split(*info, '\n')) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    auto pre = split(line.substr(0, dash), ' ');
    auto post = split(line.substr(dash + 3), ' ');
    if (pre.size() < 5 || post.size() < 3) continue;
    const std::string& mp = pre[4];
    if (mp.rfind("/sys/fs/cgroup/", 0) != 0) continue;
    std::string name = mp.substr(strlen("/sys/fs/cgroup/"));
    if (name.find('/') != std::string::npos) continue;
    std::string target = dest + "/" + name;
    BERTH_TRY(make_dirs(target));
    if (post[0] == "cgroup2") {
      BERTH_TRY(do_mount("cgroup2", target, "cgroup2", flags, ""));
      std::string sub = own_path("");
      if (sub != "/" && is_directory(target + sub))
        BERTH_TRY(do_mount(target + sub, target, nullptr, MS_BIND, ""));
    } else if (post[0] == "cgroup") {
      // Keep only the controller names (and name=) from the super options.
      std::string data;
      for (auto& o : split(post[2], ',')) {
        if (o == "rw" || o == "ro" || o.rfind("release_agent", 0) == 0 || o == "clone_children")
          continue;
        if (!data.empty()) data += ",";
        data += o;
      }
      BERTH_TRY(do_mount("cgroup", target, "cgroup", flags, data));
      std::string sub = own_path(data);
      if (sub != "/" && is_directory(target + sub))
        BERTH_TRY(do_mount(target + sub, target, nullptr, MS_BIND, ""));
      // cpu -> cpu,cpuacct like the host has.
      if (name.find(',') != std::string::npos)
        for (auto& c : split(name, ',')) (void)::symlink(name.c_str(), (dest + "/" + c).c_str());
    }
  }
  if (flags & MS_RDONLY)
    BERTH_TRY(do_mount("", dest, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, ""));
  return ok_status();
}

Status mount_one(const oci::Mount& m, const std::string& rootfs) {
  BERTH_TRY_ASSIGN(std::string dest, resolve_in_root(rootfs, m.destination));
  MountOptions o = parse_mount_options(m.options);
  if (m.type == "bind") {
    o.bind = true;
    o.flags |= MS_BIND;
  }
  if (o.bind) {
    struct stat st {};
    if (::stat(m.source.c_str(), &st) != 0) return sys_error("stat bind source " + m.source);
    BERTH_TRY(make_mount_point(dest, !S_ISDIR(st.st_mode)));
    BERTH_TRY(do_mount(m.source, dest, nullptr, MS_BIND | (o.flags & MS_REC), ""));
    // Flags other than bind/rec only take effect on a remount of the bind.
    unsigned long rest = o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
    if (rest) BERTH_TRY(do_mount("", dest, nullptr, MS_BIND | MS_REMOUNT | rest, ""));
  } else if (m.type == "cgroup") {
    BERTH_TRY(make_dirs(dest));
    auto st = mount_cgroups(dest, o.flags);
    if (!st && st.error().sys_errno == EPERM) {
      // A user namespace may not mount v1 hierarchies: show the host's, read-only.
      (void)::umount2(dest.c_str(), MNT_DETACH);
      BERTH_TRY(do_mount("/sys/fs/cgroup", dest, nullptr, MS_BIND | MS_REC, ""));
      (void)do_mount("", dest, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | (o.flags & ~MS_REC), "");
    } else {
      BERTH_TRY(st);
    }
  } else {
    BERTH_TRY(make_dirs(dest));
    auto st = do_mount(m.source.empty() ? m.type : m.source, dest, m.type.c_str(), o.flags, o.data);
    // sysfs cannot be mounted without owning the network namespace: bind the host's instead.
    if (!st && m.type == "sysfs" &&
        (st.error().sys_errno == EPERM || st.error().sys_errno == EBUSY)) {
      BERTH_TRY(do_mount("/sys", dest, nullptr, MS_BIND | MS_REC, ""));
      st = do_mount("", dest, nullptr, MS_BIND | MS_REMOUNT | (o.flags & ~MS_REC), "");
    }
    BERTH_TRY(st);
  }
  if (o.propagation) BERTH_TRY(do_mount("", dest, nullptr, o.propagation, ""));
  return ok_status();
}

}  // namespace

Status prepare_rootfs(const oci::Spec& spec, const std::string& rootfs, int rootfs_mount_fd) {
  unsigned long prop = MS_REC | MS_PRIVATE;
  if (spec.linux_ && !spec.linux_->rootfs_propagation.empty()) {
    auto o = parse_mount_options({spec.linux_->rootfs_propagation});
    if (o.propagation) prop = o.propagation | MS_REC;
  }
  // Propagation first, so nothing we mount leaks back into the host's namespace.
  BERTH_TRY(
      do_mount("", "/", nullptr, prop == (MS_REC | MS_SHARED) ? (MS_REC | MS_SLAVE) : prop, ""));
  // pivot_root needs rootfs to be a mount point; a plain dir becomes one by this bind.
  if (rootfs_mount_fd >= 0) {
    if (::syscall(SYS_move_mount, rootfs_mount_fd, "", AT_FDCWD, rootfs.c_str(),
                  MOVE_MOUNT_F_EMPTY_PATH) != 0)
      return sys_error("move idmapped rootfs onto " + rootfs);
    ::close(rootfs_mount_fd);
  } else {
    BERTH_TRY(do_mount(rootfs, rootfs, nullptr, MS_BIND | MS_REC, ""));
  }
  for (auto& m : spec.mounts) BERTH_TRY(mount_one(m, rootfs));
  return create_devices(spec, rootfs);
}

Result<int> idmapped_clone(const std::string& path, int userns_fd) {
  int fd = static_cast<int>(::syscall(SYS_open_tree, AT_FDCWD, path.c_str(),
                                      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
  if (fd < 0) return sys_error("open_tree " + path);
  struct mount_attr attr {};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(userns_fd);
  if (::syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) != 0) {
    int err = errno;
    ::close(fd);
    return Error{Code::kNotImplemented, err, "idmapped mount of " + path + ": " + strerror(err)};
  }
  return fd;
}

}  // namespace berth::runtime
