#include "engine/rootfs_mount.h"

#include <sys/mount.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/strings.h"

namespace berth::engine {

Status prepare_rootfs_dirs(const RootfsLayout& layout) {
  for (auto* dir : {&layout.upper, &layout.work, &layout.target})
    BERTH_TRY_CTX(make_dirs(*dir), "prepare rootfs");
  return ok_status();
}

bool is_mount_point(const std::string& path) {
  // A mount point's device differs from its parent's, except a bind of the same fs: read
  // mountinfo for an exact answer.
  auto info = read_file("/proc/self/mountinfo");
  if (!info) return false;
  for (auto& line : split(*info, '\n')) {
    auto fields = split(line, ' ');
    if (fields.size() > 4 && fields[4] == path) return true;
  }
  return false;
}

Status mount_rootfs(const RootfsLayout& layout, const std::vector<std::string>& lower_dirs) {
  if (is_mount_point(layout.target)) return ok_status();
  if (lower_dirs.empty()) {
    // An image with no layers (FROM scratch with nothing added): the upper dir alone.
    if (::mount(layout.upper.c_str(), layout.target.c_str(), nullptr, MS_BIND, nullptr) != 0)
      return sys_error("bind " + layout.upper + " on " + layout.target);
    return ok_status();
  }
  std::string options =
      "lowerdir=" + join(lower_dirs, ":") + ",upperdir=" + layout.upper + ",workdir=" + layout.work;
  if (::mount("overlay", layout.target.c_str(), "overlay", 0, options.c_str()) != 0)
    return sys_error("mount overlay on " + layout.target);
  return ok_status();
}

Status unmount_rootfs(const std::string& target) {
  if (::umount2(target.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT)
    return sys_error("unmount " + target);
  return ok_status();
}

}  // namespace berth::engine
