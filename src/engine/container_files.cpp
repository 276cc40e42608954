// A container's files: changes against its image, export, and docker cp's archive endpoints.
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <functional>

#include "base/file.h"
#include "base/path.h"
#include "base/time.h"
#include "engine/container_entry.h"
#include "engine/engine.h"
#include "engine/rootfs_mount.h"
#include "engine/tar_tree.h"

namespace berth::engine {

namespace {
// Go's os.FileMode type bits.
constexpr uint32_t kGoDir = 1u << 31, kGoSymlink = 1u << 27, kGoDevice = 1u << 26,
                   kGoNamedPipe = 1u << 25, kGoSocket = 1u << 24, kGoSetuid = 1u << 23,
                   kGoSetgid = 1u << 22, kGoCharDevice = 1u << 21, kGoSticky = 1u << 20;

uint32_t go_file_mode(mode_t m) {
  uint32_t out = m & 0777;
  if (S_ISDIR(m)) out |= kGoDir;
  if (S_ISLNK(m)) out |= kGoSymlink;
  if (S_ISBLK(m)) out |= kGoDevice;
  if (S_ISCHR(m)) out |= kGoDevice | kGoCharDevice;
  if (S_ISFIFO(m)) out |= kGoNamedPipe;
  if (S_ISSOCK(m)) out |= kGoSocket;
  if (m & S_ISUID) out |= kGoSetuid;
  if (m & S_ISGID) out |= kGoSetgid;
  if (m & S_ISVTX) out |= kGoSticky;
  return out;
}

Error no_such_path(const std::string& path, const std::string& id) {
  return make_error(Code::kNotFound, "Could not find the file " + path + " in container " + id);
}
}  // namespace

Status Engine::with_rootfs(const std::string& ref,
                           const std::function<Status(const Container&, const std::string&)>& fn) {
  std::shared_ptr<Entry> e;
  bool mounted_here = false;
  {
    std::lock_guard lock(mu_);
    BERTH_TRY_ASSIGN(e, find(ref));
    if (!e->c.running()) {
      BERTH_TRY_ASSIGN(image::Image image, images_->get(e->c.image_id));
      BERTH_TRY_ASSIGN(auto lowers, images_->layer_dirs(image));
      std::string dir = container_dir(e->c.id);
      BERTH_TRY(mount_rootfs({dir + "/diff", dir + "/work", rootfs_path(e->c.id)}, lowers));
      ++e->temp_mounts;
      mounted_here = true;
    }
  }
  Container snapshot;
  {
    std::lock_guard lock(mu_);
    snapshot = e->c;
  }
  Status st = fn(snapshot, rootfs_path(snapshot.id));
  if (mounted_here) {
    std::lock_guard lock(mu_);
    if (--e->temp_mounts == 0 && !e->c.running()) (void)unmount_rootfs(rootfs_path(e->c.id));
  }
  return st;
}

Result<model::List<model::FilesystemChange>> Engine::changes(const std::string& ref) {
  std::vector<std::string> lowers;
  std::string upper;
  {
    std::lock_guard lock(mu_);
    BERTH_TRY_ASSIGN(auto e, find(ref));
    BERTH_TRY_ASSIGN(image::Image image, images_->get(e->c.image_id));
    BERTH_TRY_ASSIGN(lowers, images_->layer_dirs(image));
    upper = container_dir(e->c.id) + "/diff";
  }
  model::List<model::FilesystemChange> out;
  auto in_lower = [&](const std::string& rel) {
    for (auto& l : lowers)
      if (path_exists(l + rel)) return true;
    return false;
  };
  // Mount points the runtime made (Docker keeps them in an -init layer that diff never shows):
  // left out while empty.
  static const char* kMountPoints[] = {
      "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/.dockerenv", "/proc",
      "/sys",       "/dev",          "/dev/pts",         "/dev/shm",    "/etc/mtab"};
  auto mount_point = [&](const std::string& rel, const struct stat& st) {
    for (const char* m : kMountPoints) {
      if (rel != m) continue;
      if (S_ISREG(st.st_mode)) return st.st_size == 0;
      if (S_ISDIR(st.st_mode)) {
        auto names = list_dir(upper + rel);
        return names && names->empty();
      }
      return S_ISLNK(st.st_mode);
    }
    return false;
  };
  // Returns whether anything at or below `rel` was reported.
  std::function<Result<bool>(const std::string&)> walk =
      [&](const std::string& rel) -> Result<bool> {
    BERTH_TRY_ASSIGN(auto names, list_dir(upper + rel));
    std::sort(names.begin(), names.end());
    bool any = false;
    for (auto& name : names) {
      std::string child = rel + "/" + name;
      struct stat st;
      if (::lstat((upper + child).c_str(), &st) != 0 || mount_point(child, st)) continue;
      bool whiteout = S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
      bool existed = in_lower(child);
      size_t at = out.size();
      bool below = false;
      if (S_ISDIR(st.st_mode)) {
        BERTH_TRY_ASSIGN(below, walk(child));
      }
      // A directory copied up only to hold changes is "C"; an unchanged copy-up is not shown.
      if (S_ISDIR(st.st_mode) && existed && !below) continue;
      int kind = whiteout ? 2 : (existed ? 0 : 1);
      model::FilesystemChange change;
      change.path = child;
      change.kind = kind;
      out.insert(out.begin() + static_cast<long>(at), std::move(change));
      any = true;
    }
    return any;
  };
  auto walked = walk("");
  if (!walked) return std::move(walked).error().context("changes of container " + ref);
  return out;
}

Status Engine::export_rootfs(const std::string& ref, int out_fd) {
  return with_rootfs(ref, [&](const Container&, const std::string& rootfs) {
    return write_tree_tar(rootfs, "/", "", out_fd);
  });
}

Result<Engine::PathStat> Engine::stat_path(const std::string& ref, const std::string& path) {
  PathStat out;
  Status st = with_rootfs(ref, [&](const Container& c, const std::string& rootfs) -> Status {
    std::string clean = clean_path("/" + path);
    std::string parent = clean.substr(0, clean.rfind('/'));
    std::string base = clean.substr(clean.rfind('/') + 1);
    BERTH_TRY_ASSIGN(std::string host_parent,
                     resolve_in_root(rootfs, parent.empty() ? "/" : parent));
    std::string host = base.empty() ? host_parent : host_parent + "/" + base;
    struct stat s;
    if (::lstat(host.c_str(), &s) != 0) return no_such_path(path, c.id);
    out.name = base.empty() ? "/" : base;
    out.size = s.st_size;
    out.mode = go_file_mode(s.st_mode);
    out.mtime = format_rfc3339_nano(static_cast<int64_t>(s.st_mtim.tv_sec) * 1000000000LL +
                                    s.st_mtim.tv_nsec);
    if (S_ISLNK(s.st_mode)) {
      char target[4096];
      ssize_t n = ::readlink(host.c_str(), target, sizeof target - 1);
      if (n > 0) out.link_target.assign(target, static_cast<size_t>(n));
    }
    return ok_status();
  });
  if (!st) return std::move(st).error();
  return out;
}

Status Engine::archive_get(const std::string& ref, const std::string& path, int out_fd) {
  return with_rootfs(ref, [&](const Container& c, const std::string& rootfs) -> Status {
    std::string clean = clean_path("/" + path);
    BERTH_TRY_ASSIGN(std::string host, resolve_in_root(rootfs, clean.substr(0, clean.rfind('/'))));
    std::string base = clean.substr(clean.rfind('/') + 1);
    if (!base.empty() && !path_exists(host + "/" + base)) return no_such_path(path, c.id);
    return write_tree_tar(rootfs, clean, base, out_fd);
  });
}

Status Engine::archive_put(const std::string& ref, const std::string& path, int in_fd,
                           bool copy_uid_gid) {
  return with_rootfs(ref, [&](const Container& c, const std::string& rootfs) -> Status {
    BERTH_TRY_ASSIGN(std::string host, resolve_in_root(rootfs, path));
    struct stat st;
    if (::stat(host.c_str(), &st) != 0) return no_such_path(path, c.id);
    if (!S_ISDIR(st.st_mode))
      return make_error(Code::kInvalidArgument, "extraction point is not a directory");
    if (c.host_config.readonly_rootfs)
      return make_error(Code::kPermissionDenied, "container rootfs is marked read-only");
    return extract_tar_in_root(in_fd, rootfs, path, copy_uid_gid);
  });
}

Engine::DiskUsage Engine::disk_usage(const std::string& id, const std::string& image_id) {
  DiskUsage u;
  // A layer that cannot be read counts as empty, as dockerd logs and reports 0.
  if (auto rw = tree_size(container_dir(id) + "/diff"); rw) u.size_rw = *rw;
  int64_t image = 0;
  if (auto img = images_->get(image_id); img) image = img->size;
  u.size_root_fs = image + u.size_rw;
  return u;
}

}  // namespace berth::engine
