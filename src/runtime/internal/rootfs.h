// Building the container's filesystem view inside its new mount namespace.  All of these run in
// the container's init between clone and exec.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "oci/spec.h"

namespace berth::runtime {

struct MountOptions {
  unsigned long flags = 0;        // MS_* applied at mount time
  unsigned long propagation = 0;  // MS_PRIVATE/MS_SHARED/... (| MS_REC), applied after
  bool bind = false;
  std::string data;  // the options the kernel gets as a string ("mode=755")
};
MountOptions parse_mount_options(const std::vector<std::string>& options);

// Makes / private (or linux.rootfsPropagation), binds rootfs onto itself (or moves the idmapped
// clone `rootfs_mount_fd` there), mounts spec.mounts, creates the device nodes.
Status prepare_rootfs(const oci::Spec& spec, const std::string& rootfs, int rootfs_mount_fd = -1);
// A detached, idmapped clone of `path` for the user namespace `userns_fd` (open_tree +
// mount_setattr); NotImplemented where the kernel or filesystem cannot idmap.
Result<int> idmapped_clone(const std::string& path, int userns_fd);
Status create_devices(const oci::Spec& spec, const std::string& rootfs);
// pivot_root(2) into rootfs and detach the old root.
Status pivot_root_to(const std::string& rootfs);
// After pivot: maskedPaths, readonlyPaths, root.readonly, sysctl.
Status finish_rootfs(const oci::Spec& spec);

}  // namespace berth::runtime
