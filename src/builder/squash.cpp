// --squash, as Docker's classic builder does it (daemon/images/image_squash.go): the final image
// becomes its stage's base image plus one layer holding the difference between the two, and
// every history entry above the base is kept, marked empty_layer, under a last entry "merge
// <id> to <base>".  The difference is taken between the two images mounted read-only: entries
// that are new or whose type, mode, owner, size, mtime or link target changed (with their
// parent directories, so the base's directory metadata is not replaced by defaults), and a
// whiteout for each base path the result no longer has.  Hard links become copies; xattrs are
// not carried.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "base/file.h"
#include "base/json.h"
#include "base/random_id.h"
#include "base/scope_exit.h"
#include "base/unique_fd.h"
#include "builder/internal/executor.h"

namespace berth::builder::internal {
namespace {

struct WriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

std::string link_target(const std::string& path) {
  char buf[PATH_MAX];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

class DiffTar {
 public:
  DiffTar(archive* a, std::string top, std::string base, int64_t clamp)
      : a_(a), top_(std::move(top)), base_(std::move(base)), clamp_(clamp) {}

  // `rel`: "" for the root; `base_has`: the base has `rel` as a directory.
  Status walk(const std::string& rel, bool base_has) {
    std::string tdir = top_ + (rel.empty() ? "" : "/" + rel);
    BERTH_TRY_ASSIGN(auto names, list_dir(tdir));
    std::sort(names.begin(), names.end());
    for (auto& n : names) {
      std::string r = rel.empty() ? n : rel + "/" + n;
      struct stat ts, bs;
      if (::lstat((top_ + "/" + r).c_str(), &ts) != 0) return sys_error("stat " + r);
      bool in_base = base_has && ::lstat((base_ + "/" + r).c_str(), &bs) == 0;
      bool dir = S_ISDIR(ts.st_mode);
      bool changed = !in_base || (ts.st_mode != bs.st_mode) || ts.st_uid != bs.st_uid ||
                     ts.st_gid != bs.st_gid;
      if (!changed && !dir)
        changed =
            ts.st_size != bs.st_size || ts.st_mtim.tv_sec != bs.st_mtim.tv_sec ||
            ts.st_mtim.tv_nsec != bs.st_mtim.tv_nsec || ts.st_rdev != bs.st_rdev ||
            (S_ISLNK(ts.st_mode) && link_target(top_ + "/" + r) != link_target(base_ + "/" + r));
      if (dir) {
        pending_.push_back({r, ts});
        if (changed) BERTH_TRY(flush());
        BERTH_TRY(walk(r, in_base && S_ISDIR(bs.st_mode)));
        if (!pending_.empty() && pending_.back().first == r) pending_.pop_back();
      } else if (changed) {
        BERTH_TRY(flush());
        BERTH_TRY(write(r, ts));
      }
    }
    if (!base_has) return ok_status();
    // What the base has here and the result does not: whiteouts.
    BERTH_TRY_ASSIGN(auto gone, list_dir(base_ + (rel.empty() ? "" : "/" + rel)));
    std::sort(gone.begin(), gone.end());
    for (auto& n : gone) {
      std::string r = rel.empty() ? n : rel + "/" + n;
      struct stat st;
      if (::lstat((top_ + "/" + r).c_str(), &st) == 0) continue;
      BERTH_TRY(flush());
      struct stat wh {};
      wh.st_mode = S_IFREG;
      BERTH_TRY(write((rel.empty() ? "" : rel + "/") + ".wh." + n, wh));
    }
    return ok_status();
  }

 private:
  // The directories above an entry about to be written, outermost first.
  Status flush() {
    for (auto& [r, st] : pending_) BERTH_TRY(write(r, st));
    pending_.clear();
    return ok_status();
  }

  Status write(const std::string& rel, const struct stat& st) {
    std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
    bool dir = S_ISDIR(st.st_mode), reg = S_ISREG(st.st_mode);
    archive_entry_set_pathname(e.get(), (rel + (dir ? "/" : "")).c_str());
    archive_entry_set_filetype(e.get(), st.st_mode & S_IFMT);
    archive_entry_set_perm(e.get(), st.st_mode & 07777);
    archive_entry_set_uid(e.get(), st.st_uid);
    archive_entry_set_gid(e.get(), st.st_gid);
    int64_t mtime = st.st_mtim.tv_sec;
    if (clamp_ >= 0 && mtime > clamp_) mtime = clamp_;
    archive_entry_set_mtime(e.get(), mtime, 0);
    if (S_ISLNK(st.st_mode))
      archive_entry_set_symlink(e.get(), link_target(top_ + "/" + rel).c_str());
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) archive_entry_set_rdev(e.get(), st.st_rdev);
    archive_entry_set_size(e.get(), reg ? st.st_size : 0);
    if (archive_write_header(a_, e.get()) != ARCHIVE_OK)
      return make_error(Code::kInternal, "squash: write " + rel + ": " + archive_error_string(a_));
    if (!reg || st.st_size == 0 || st.st_ino == 0) return ok_status();
    UniqueFd fd(::open((top_ + "/" + rel).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) return sys_error("squash: open " + rel);
    char buf[65536];
    int64_t left = st.st_size;
    while (left > 0) {
      ssize_t n = ::read(fd.get(), buf, static_cast<size_t>(std::min<int64_t>(left, sizeof buf)));
      if (n <= 0) return sys_error("squash: read " + rel);
      if (archive_write_data(a_, buf, static_cast<size_t>(n)) < 0)
        return make_error(Code::kInternal,
                          "squash: write " + rel + ": " + archive_error_string(a_));
      left -= n;
    }
    return ok_status();
  }

  archive* a_;
  std::string top_, base_;
  int64_t clamp_;
  std::vector<std::pair<std::string, struct stat>> pending_;
};

}  // namespace

Result<std::string> squash_image(Backend& backend, const std::string& image_id,
                                 const std::string& base_id, int64_t source_date_epoch) {
  BERTH_TRY_ASSIGN(image::Image top, backend.images().get(image_id));
  BERTH_TRY_ASSIGN(Json top_cfg, parse_json(top.config_json, "image config " + image_id));
  Json base_history = Json::array();
  if (!base_id.empty()) {
    BERTH_TRY_ASSIGN(image::Image base, backend.images().get(base_id));
    BERTH_TRY_ASSIGN(Json base_cfg, parse_json(base.config_json, "image config " + base_id));
    if (base_cfg.contains("history") && base_cfg["history"].is_array())
      base_history = base_cfg["history"];
  }
  Json history = top_cfg.contains("history") && top_cfg["history"].is_array() ? top_cfg["history"]
                                                                              : Json::array();
  for (size_t i = base_history.size(); i < history.size(); ++i) history[i]["empty_layer"] = true;

  BERTH_TRY_ASSIGN(std::string top_mnt, backend.mount_image(image_id));
  ScopeExit unmount_top([&] { backend.unmount_image(top_mnt); });
  std::string base_mnt;
  if (!base_id.empty()) {
    BERTH_TRY_ASSIGN(base_mnt, backend.mount_image(base_id));
  }
  ScopeExit unmount_base([&] {
    if (!base_mnt.empty()) backend.unmount_image(base_mnt);
  });
  std::string tar = backend.tmp_dir() + "/squash-" + random_hex_id().substr(0, 16) + ".tar";
  ScopeExit remove_tar([&] { (void)::unlink(tar.c_str()); });
  {
    std::unique_ptr<archive, WriteFree> a(archive_write_new());
    archive_write_set_format_pax_restricted(a.get());
    archive_write_add_filter_none(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);
    if (archive_write_open_filename(a.get(), tar.c_str()) != ARCHIVE_OK)
      return make_error(Code::kInternal, "create " + tar + ": " + archive_error_string(a.get()));
    DiffTar diff(a.get(), top_mnt, base_mnt, source_date_epoch);
    BERTH_TRY(diff.walk("", !base_id.empty()));
    if (archive_write_close(a.get()) != ARCHIVE_OK)
      return make_error(Code::kInternal, "finish " + tar + ": " + archive_error_string(a.get()));
  }
  image::CommitOptions co;
  co.parent = base_id;
  co.layer_tar = tar;
  co.config_json = dump_json(top_cfg.value("config", Json::object()));
  co.base_history = dump_json(history);
  co.comment =
      base_id.empty() ? "create new from " + image_id : "merge " + image_id + " to " + base_id;
  co.created = source_date_epoch;
  BERTH_TRY_ASSIGN(image::Image img, backend.images().commit(co));
  return img.id;
}

}  // namespace berth::builder::internal
