// The container's root filesystem: an overlay of the image's unpacked layers (read-only lower
// dirs) and the container's own writable upper dir.  Mounted at start, unmounted at exit.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace berth::engine {

struct RootfsLayout {
  std::string upper;   // <container dir>/diff
  std::string work;    // <container dir>/work
  std::string target;  // <container dir>/rootfs
};

// Creates upper, work and target.
Status prepare_rootfs_dirs(const RootfsLayout& layout);
// Mounts the overlay; lower_dirs topmost first.  Idempotent: an existing overlay at target stays.
Status mount_rootfs(const RootfsLayout& layout, const std::vector<std::string>& lower_dirs);
// Lazily unmounts (the container's mount namespace may still pin it); absent is fine.
Status unmount_rootfs(const std::string& target);
bool is_mount_point(const std::string& path);

}  // namespace berth::engine
