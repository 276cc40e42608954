// Docker's copy-up: the image's files under a VOLUME path land in a new, empty volume.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/file.h"
#include "base/unique_fd.h"
#include "volume/volume.h"

namespace berth::volume {

namespace {
Status copy_file(const std::string& from, const std::string& to, const struct stat& st) {
  UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!in) return sys_error("open " + from);
  UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777));
  if (!out) return sys_error("create " + to);
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(in.get(), buf, sizeof buf);
    if (n < 0) return sys_error("read " + from);
    if (n == 0) break;
    BERTH_TRY(write_all(out.get(), std::string_view(buf, static_cast<size_t>(n))));
  }
  return ok_status();
}

void copy_meta(const std::string& to, const struct stat& st) {
  (void)::lchown(to.c_str(), st.st_uid, st.st_gid);
  if (!S_ISLNK(st.st_mode)) (void)::chmod(to.c_str(), st.st_mode & 07777);
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  (void)::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW);
}
}  // namespace

Status copy_tree(const std::string& from, const std::string& to) {
  BERTH_TRY_ASSIGN(auto names, list_dir(from));
  for (auto& name : names) {
    std::string src = from + "/" + name, dst = to + "/" + name;
    struct stat st;
    if (::lstat(src.c_str(), &st) != 0) return sys_error("stat " + src);
    if (S_ISDIR(st.st_mode)) {
      if (::mkdir(dst.c_str(), st.st_mode & 07777) != 0 && errno != EEXIST)
        return sys_error("mkdir " + dst);
      BERTH_TRY(copy_tree(src, dst));
    } else if (S_ISLNK(st.st_mode)) {
      char buf[4096];
      ssize_t n = ::readlink(src.c_str(), buf, sizeof buf - 1);
      if (n < 0) return sys_error("readlink " + src);
      if (::symlink(std::string(buf, static_cast<size_t>(n)).c_str(), dst.c_str()) != 0)
        return sys_error("symlink " + dst);
    } else if (S_ISREG(st.st_mode)) {
      BERTH_TRY(copy_file(src, dst, st));
    } else {
      if (::mknod(dst.c_str(), st.st_mode, st.st_rdev) != 0) return sys_error("mknod " + dst);
    }
    copy_meta(dst, st);
  }
  struct stat root;
  if (::stat(from.c_str(), &root) == 0) copy_meta(to, root);
  return ok_status();
}

}  // namespace berth::volume
