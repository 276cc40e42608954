#include "engine/tar_tree.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <vector>

#include "base/file.h"
#include "base/path.h"
#include "base/unique_fd.h"

namespace berth::engine {

namespace {
struct ArchiveWriteDeleter {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct ArchiveReadDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using WriteArchive = std::unique_ptr<struct archive, ArchiveWriteDeleter>;
using ReadArchive = std::unique_ptr<struct archive, ArchiveReadDeleter>;

Error archive_error(struct archive* a, const std::string& what) {
  const char* msg = archive_error_string(a);
  return make_error(Code::kInternal, what + ": " + (msg ? msg : "archive error"));
}

// Adds one entry (and, for a directory, its tree) without following symlinks.
Status add_path(struct archive* a, const std::string& host_path, const std::string& name,
                const std::string& in_root, const std::function<bool(const std::string&)>& skip) {
  if (skip && skip(in_root)) return ok_status();
  struct stat st;
  if (::lstat(host_path.c_str(), &st) != 0) return sys_error("stat " + in_root);
  std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> entry(archive_entry_new(),
                                                                               archive_entry_free);
  archive_entry_copy_stat(entry.get(), &st);
  std::string entry_name = name;
  if (S_ISDIR(st.st_mode) && !entry_name.empty() && entry_name.back() != '/') entry_name += "/";
  archive_entry_set_pathname(entry.get(), entry_name.c_str());
  if (S_ISLNK(st.st_mode)) {
    char target[4096];
    ssize_t n = ::readlink(host_path.c_str(), target, sizeof target - 1);
    if (n < 0) return sys_error("readlink " + in_root);
    target[n] = '\0';
    archive_entry_set_symlink(entry.get(), target);
  }
  if (!S_ISREG(st.st_mode)) archive_entry_set_size(entry.get(), 0);
  if (!entry_name.empty() && archive_write_header(a, entry.get()) != ARCHIVE_OK)
    return archive_error(a, "write tar header for " + in_root);
  if (S_ISREG(st.st_mode)) {
    UniqueFd fd(::open(host_path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return sys_error("open " + in_root);
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) {
      if (archive_write_data(a, buf, static_cast<size_t>(n)) < 0)
        return archive_error(a, "write tar data for " + in_root);
    }
    if (n < 0) return sys_error("read " + in_root);
  }
  if (S_ISDIR(st.st_mode)) {
    BERTH_TRY_ASSIGN(auto names, list_dir(host_path));
    std::sort(names.begin(), names.end());
    for (auto& child : names) {
      std::string child_name = entry_name.empty() ? child : entry_name + child;
      std::string child_in_root = in_root == "/" ? "/" + child : in_root + "/" + child;
      BERTH_TRY(add_path(a, host_path + "/" + child, child_name, child_in_root, skip));
    }
  }
  return ok_status();
}
}  // namespace

Status write_tree_tar(const std::string& root, const std::string& path_in_root,
                      const std::string& name_in_tar, int out_fd,
                      const std::function<bool(const std::string&)>& skip) {
  // Resolve the parent inside the root, keep the last component as it is (a symlink is sent as
  // a link, like docker cp does without -L).
  std::string clean = clean_path("/" + path_in_root);
  std::string parent = clean.substr(0, clean.rfind('/'));
  std::string base = clean.substr(clean.rfind('/') + 1);
  BERTH_TRY_ASSIGN(std::string host_parent, resolve_in_root(root, parent.empty() ? "/" : parent));
  std::string host_path = base.empty() ? host_parent : host_parent + "/" + base;
  WriteArchive a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());
  if (archive_write_open_fd(a.get(), out_fd) != ARCHIVE_OK)
    return archive_error(a.get(), "open tar");
  BERTH_TRY(add_path(a.get(), host_path, name_in_tar, clean, skip));
  if (archive_write_close(a.get()) != ARCHIVE_OK) return archive_error(a.get(), "finish tar");
  return ok_status();
}

Status extract_tar_in_root(int in_fd, const std::string& root, const std::string& dir_in_root,
                           bool keep_owner) {
  ReadArchive a(archive_read_new());
  archive_read_support_format_all(a.get());
  archive_read_support_filter_all(a.get());
  if (archive_read_open_fd(a.get(), in_fd, 65536) != ARCHIVE_OK)
    return archive_error(a.get(), "read tar");
  struct archive* disk = archive_write_disk_new();
  std::unique_ptr<struct archive, ArchiveWriteDeleter> disk_guard(disk);
  int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
              ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_UNLINK;
  if (keep_owner) flags |= ARCHIVE_EXTRACT_OWNER;
  archive_write_disk_set_options(disk, flags);
  std::string base = clean_path("/" + dir_in_root);
  struct archive_entry* entry;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    std::string in_root = clean_path(base + "/" + name);
    // Every entry is placed inside the root, its parents resolved as the container sees them.
    std::string parent = in_root.substr(0, in_root.rfind('/'));
    BERTH_TRY_ASSIGN(std::string host_parent, resolve_in_root(root, parent.empty() ? "/" : parent));
    std::string last = in_root.substr(in_root.rfind('/') + 1);
    std::string host_path = last.empty() ? host_parent : host_parent + "/" + last;
    (void)make_dirs(host_parent);
    archive_entry_set_pathname(entry, host_path.c_str());
    if (const char* link = archive_entry_hardlink(entry); link && *link) {
      std::string link_in_root = clean_path(base + "/" + link);
      BERTH_TRY_ASSIGN(std::string host_link, resolve_in_root(root, link_in_root));
      archive_entry_set_hardlink(entry, host_link.c_str());
    }
    if (!keep_owner) {
      archive_entry_set_uid(entry, 0);
      archive_entry_set_gid(entry, 0);
    }
    if (archive_write_header(disk, entry) != ARCHIVE_OK)
      return archive_error(disk, "extract " + in_root);
    const void* buf;
    size_t size;
    la_int64_t offset;
    int r;
    while ((r = archive_read_data_block(a.get(), &buf, &size, &offset)) == ARCHIVE_OK) {
      if (archive_write_data_block(disk, buf, size, offset) != ARCHIVE_OK)
        return archive_error(disk, "extract " + in_root);
    }
    if (r != ARCHIVE_EOF) return archive_error(a.get(), "read tar entry " + name);
    if (archive_write_finish_entry(disk) != ARCHIVE_OK)
      return archive_error(disk, "extract " + in_root);
  }
  if (rc != ARCHIVE_EOF) return archive_error(a.get(), "read tar");
  return ok_status();
}

}  // namespace berth::engine
