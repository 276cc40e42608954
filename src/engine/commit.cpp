// docker commit: a container's overlay upper dir turned back into a layer tar (overlay's
// whiteouts -- a 0/0 character device, and the trusted.overlay.opaque xattr -- become the
// image-spec's .wh. entries) and recorded as a child image of the container's image.
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/file.h"
#include "base/random_id.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "builder/config_ops.h"
#include "engine/engine.h"
#include "model/container_json.h"
#include "model/image_json.h"

namespace berth::engine {
namespace {

// What the runtime creates as mount points (Docker keeps these in the container's -init layer,
// which commits never see): empty, they are not the user's changes.
const std::set<std::string> kMountPoints = {
    "etc/hosts", "etc/hostname", "etc/resolv.conf", ".dockerenv", "etc/mtab",   "proc",
    "sys",       "dev",          "dev/pts",         "dev/shm",    "dev/console"};

struct ArchiveWriterDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

class DiffWriter {
 public:
  DiffWriter(archive* a, int64_t clamp) : a_(a), clamp_(clamp) {}

  // Walks `dirfd` (the dir at `rel`, "" for the root) in name order, never following symlinks.
  Status walk(int dirfd, const std::string& rel) {
    DIR* d = ::fdopendir(::dup(dirfd));
    if (!d) return sys_error("open dir " + rel);
    std::vector<std::string> names;
    while (dirent* de = ::readdir(d)) {
      std::string n = de->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (auto& n : names) {
      std::string path = rel.empty() ? n : rel + "/" + n;
      struct stat st;
      if (::fstatat(dirfd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return sys_error("stat " + path);
      if (kMountPoints.count(path) && ((S_ISREG(st.st_mode) && st.st_size == 0) ||
                                       (S_ISDIR(st.st_mode) && empty_dir(dirfd, n))))
        continue;
      if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
        std::string wh = (rel.empty() ? "" : rel + "/") + ".wh." + n;
        BERTH_TRY(header(wh, nullptr, AE_IFREG, 0, st));
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        int fd = ::openat(dirfd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return sys_error("open " + path);
        ScopeExit close_fd([fd] { ::close(fd); });
        BERTH_TRY(header(path + "/", nullptr, AE_IFDIR, 0, st));
        char v[4];
        ssize_t n_opq = ::fgetxattr(fd, "trusted.overlay.opaque", v, sizeof v);
        if (n_opq == 1 && v[0] == 'y')
          BERTH_TRY(header(path + "/.wh..wh..opq", nullptr, AE_IFREG, 0, st));
        BERTH_TRY(walk(fd, path));
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        char buf[4096];
        ssize_t len = ::readlinkat(dirfd, n.c_str(), buf, sizeof buf - 1);
        if (len < 0) return sys_error("readlink " + path);
        buf[len] = 0;
        BERTH_TRY(header(path, buf, AE_IFLNK, 0, st));
        continue;
      }
      if (S_ISREG(st.st_mode)) {
        if (st.st_nlink > 1) {
          auto key = std::make_pair(st.st_dev, st.st_ino);
          auto it = links_.find(key);
          if (it != links_.end()) {
            BERTH_TRY(header(path, nullptr, AE_IFREG, 0, st, it->second));
            continue;
          }
          links_[key] = path;
        }
        int fd = ::openat(dirfd, n.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return sys_error("open " + path);
        ScopeExit close_fd([fd] { ::close(fd); });
        BERTH_TRY(header(path, nullptr, AE_IFREG, st.st_size, st));
        char buf[65536];
        while (true) {
          ssize_t r = ::read(fd, buf, sizeof buf);
          if (r < 0) {
            if (errno == EINTR) continue;
            return sys_error("read " + path);
          }
          if (r == 0) break;
          if (archive_write_data(a_, buf, static_cast<size_t>(r)) != r)
            return make_error(Code::kInternal, "write " + path + ": " + archive_error_string(a_));
        }
        continue;
      }
      // Devices, fifos, sockets.
      BERTH_TRY(header(path, nullptr, st.st_mode & S_IFMT, 0, st));
    }
    return ok_status();
  }

  int entries() const { return entries_; }

 private:
  static bool empty_dir(int dirfd, const std::string& name) {
    int fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return false;
    DIR* d = ::fdopendir(fd);
    if (!d) {
      ::close(fd);
      return false;
    }
    bool empty = true;
    while (dirent* de = ::readdir(d))
      if (std::string(de->d_name) != "." && std::string(de->d_name) != "..") empty = false;
    ::closedir(d);
    return empty;
  }

  Status header(const std::string& name, const char* symlink, mode_t type, int64_t size,
                const struct stat& st, const std::string& hardlink = "") {
    std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), type);
    archive_entry_set_perm(e.get(), st.st_mode & 07777);
    archive_entry_set_uid(e.get(), st.st_uid);
    archive_entry_set_gid(e.get(), st.st_gid);
    int64_t mtime = st.st_mtim.tv_sec;
    long nsec = st.st_mtim.tv_nsec;
    if (clamp_ >= 0 && mtime > clamp_) mtime = clamp_, nsec = 0;
    archive_entry_set_mtime(e.get(), mtime, clamp_ >= 0 ? 0 : nsec);
    if (symlink) archive_entry_set_symlink(e.get(), symlink);
    if (!hardlink.empty()) archive_entry_set_hardlink(e.get(), hardlink.c_str());
    if (type == AE_IFCHR || type == AE_IFBLK) archive_entry_set_rdev(e.get(), st.st_rdev);
    archive_entry_set_size(e.get(), hardlink.empty() ? size : 0);
    if (archive_write_header(a_, e.get()) != ARCHIVE_OK)
      return make_error(Code::kInternal, "write " + name + ": " + archive_error_string(a_));
    ++entries_;
    return ok_status();
  }

  archive* a_;
  int64_t clamp_;
  int entries_ = 0;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

}  // namespace

Result<bool> Engine::export_changes(const std::string& ref, const std::string& tar_path,
                                    int64_t clamp_mtime) {
  BERTH_TRY_ASSIGN(Container c, get_container(ref));
  std::string upper = container_dir(c.id) + "/diff";
  int dirfd = ::open(upper.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0) return sys_error("open " + upper);
  ScopeExit close_dir([dirfd] { ::close(dirfd); });
  std::unique_ptr<archive, ArchiveWriterDeleter> a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());
  archive_write_add_filter_none(a.get());
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open_filename(a.get(), tar_path.c_str()) != ARCHIVE_OK)
    return make_error(Code::kInternal, "create " + tar_path + ": " + archive_error_string(a.get()));
  DiffWriter w(a.get(), clamp_mtime);
  Status st = w.walk(dirfd, "");
  if (!st) {
    (void)::unlink(tar_path.c_str());
    return std::move(st).error().context("export changes of " + c.id);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return make_error(Code::kInternal, "finish " + tar_path + ": " + archive_error_string(a.get()));
  return w.entries() > 0;
}

Result<std::string> Engine::commit_container(const CommitRequest& request) {
  BERTH_TRY_ASSIGN(Container c, get_container(request.container));
  Json config = model::to_json(c.config);
  if (!request.changes.empty()) {  // --change: on the config as an image's config
    BERTH_TRY_ASSIGN(auto typed, model::from_json<model::ImageConfig>(config));
    BERTH_TRY_ASSIGN(auto changed, builder::apply_changes(std::move(typed), request.changes));
    config = model::to_json(changed);
  }
  bool paused_here = false;
  if (request.pause && c.state.status == RunState::kRunning) {
    BERTH_TRY(pause_container(c.id));
    paused_here = true;
  }
  ScopeExit unpause([&] {
    if (paused_here) (void)unpause_container(c.id);
  });
  std::string tmp_dir = options_.data_root + "/tmp";
  BERTH_TRY(make_dirs(tmp_dir));
  std::string tar = tmp_dir + "/commit-" + random_hex_id().substr(0, 16) + ".tar";
  ScopeExit remove_tar([&] { (void)::unlink(tar.c_str()); });
  BERTH_TRY_ASSIGN(bool changed, export_changes(c.id, tar));
  if (paused_here) {
    paused_here = false;
    (void)unpause_container(c.id);
  }
  image::CommitOptions opts;
  opts.parent = c.image_id;
  opts.layer_tar = changed ? tar : "";
  opts.config_json = dump_json(config);
  std::string created_by = c.path;
  for (auto& a : c.args) created_by += " " + a;
  opts.created_by = created_by;
  opts.comment = request.comment;
  opts.author = request.author;
  if (!request.repo.empty())
    opts.tags.push_back(request.repo + ":" + (request.tag.empty() ? "latest" : request.tag));
  else if (!request.tag.empty())
    return make_error(Code::kInvalidArgument, "tag is specified without a repository");
  BERTH_TRY_ASSIGN(image::Image img, images_->commit(opts));
  publish(c, "commit", {{"comment", request.comment}, {"imageID", img.id}});
  for (auto& t : opts.tags) {
    auto familiar = image::normalize_reference(t);
    publish_image("tag", img.id, familiar ? *familiar : t);
  }
  return img.id;
}

}  // namespace berth::engine
