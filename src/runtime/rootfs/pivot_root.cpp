// pivot_root and the hardening done after it (masked and read-only paths, read-only root).
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/file.h"
#include "base/unique_fd.h"
#include "runtime/internal/rootfs.h"

namespace berth::runtime {

Status pivot_root_to(const std::string& rootfs) {
  UniqueFd old_root(::open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!old_root) return sys_error("open /");
  if (::chdir(rootfs.c_str()) != 0) return sys_error("chdir " + rootfs);
  // pivot_root(".", ".") stacks the old root under the new one (runc's trick, no put_old dir
  // needed); it is then detached from the mount on ".".
  if (::syscall(SYS_pivot_root, ".", ".") != 0) return sys_error("pivot_root " + rootfs);
  if (::fchdir(old_root.get()) != 0) return sys_error("fchdir old root");
  // Make the old root a slave so the unmount below does not propagate to the host.
  if (::mount("", ".", nullptr, MS_SLAVE | MS_REC, nullptr) != 0)
    return sys_error("make old root rslave");
  if (::umount2(".", MNT_DETACH) != 0) return sys_error("unmount old root");
  if (::chdir("/") != 0) return sys_error("chdir /");
  return ok_status();
}

namespace {

Status mask_path(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ok_status();  // nothing to hide
  if (S_ISDIR(st.st_mode)) {
    if (::mount("tmpfs", path.c_str(), "tmpfs", MS_RDONLY, nullptr) != 0)
      return sys_error("mask " + path);
  } else if (::mount("/dev/null", path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    return sys_error("mask " + path);
  }
  return ok_status();
}

Status readonly_path(const std::string& path) {
  if (::mount(path.c_str(), path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    if (errno == ENOENT) return ok_status();
    return sys_error("bind " + path);
  }
  if (::mount("", path.c_str(), nullptr,
              MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    return sys_error("remount " + path + " read-only");
  return ok_status();
}

}  // namespace

Status finish_rootfs(const oci::Spec& spec) {
  if (spec.linux_) {
    for (auto& [key, value] : spec.linux_->sysctl) {
      std::string file = "/proc/sys/" + key;
      for (size_t i = std::string("/proc/sys/").size(); i < file.size(); ++i)
        if (file[i] == '.') file[i] = '/';
      BERTH_TRY_CTX(write_file(file, value), "sysctl " + key);
    }
    for (auto& p : spec.linux_->readonly_paths) BERTH_TRY(readonly_path(p));
    for (auto& p : spec.linux_->masked_paths) BERTH_TRY(mask_path(p));
  }
  if (spec.root && spec.root->readonly) {
    if (::mount("", "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0)
      return sys_error("remount / read-only");
  }
  return ok_status();
}

}  // namespace berth::runtime
