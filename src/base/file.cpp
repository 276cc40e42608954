#include "base/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <utility>

#include "base/unique_fd.h"

namespace berth {

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("write");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return ok_status();
}

Result<std::string> read_all(int fd) {
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("read");
    }
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

Result<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open " + path);
  auto data = read_all(fd.get());
  if (!data) return std::move(data).error().context("read " + path);
  return data;
}

Status write_file(const std::string& path, std::string_view data, int mode) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) return sys_error("open " + path);
  BERTH_TRY_CTX(write_all(fd.get(), data), "write " + path);
  return ok_status();
}

Status write_file_atomic(const std::string& path, std::string_view data, int mode, bool sync) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd) return sys_error("open " + tmp);
    auto st = write_all(fd.get(), data);
    if (!st || (sync && ::fsync(fd.get()) != 0)) {
      Error err = st ? sys_error("fsync " + tmp) : std::move(st).error().context("write " + tmp);
      ::unlink(tmp.c_str());
      return err;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Error err = sys_error("rename " + tmp + " to " + path);
    ::unlink(tmp.c_str());
    return err;
  }
  return ok_status();
}

Status make_dirs(const std::string& path, int mode) {
  if (path.empty()) return ok_status();
  std::string cur;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || (path[i] == '/' && i > 0)) {
      cur = path.substr(0, i);
      if (::mkdir(cur.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
        return sys_error("mkdir " + cur);
    }
  }
  if (!is_directory(path)) return make_error(Code::kInvalidArgument, path + " is not a directory");
  return ok_status();
}

namespace {
int remove_entry(const char* path, const struct stat*, int type, struct FTW*) {
  int rc = (type == FTW_DP) ? ::rmdir(path) : ::unlink(path);
  if (rc != 0 && errno != ENOENT) return errno;
  return 0;
}
}  // namespace

Status remove_all(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return ok_status();
    return sys_error("stat " + path);
  }
  int rc = ::nftw(path.c_str(), remove_entry, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
  if (rc > 0) return sys_error("remove " + path, rc);
  if (rc < 0) return sys_error("remove " + path);
  return ok_status();
}

namespace {
using InodeSet = std::set<std::pair<dev_t, ino_t>>;

// REQUIRES: `dir_fd` an open directory; takes ownership of it.
Status add_tree_size(int dir_fd, const std::string& path, InodeSet& links, int64_t& total) {
  DIR* dir = ::fdopendir(dir_fd);
  if (!dir) {
    ::close(dir_fd);
    return sys_error("open directory " + path);
  }
  std::unique_ptr<DIR, int (*)(DIR*)> guard(dir, ::closedir);
  while (struct dirent* ent = ::readdir(dir)) {
    if (std::strcmp(ent->d_name, ".") == 0 || std::strcmp(ent->d_name, "..") == 0) continue;
    struct stat st;
    if (::fstatat(::dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // removed while we walk (a running container)
      return sys_error("stat " + path + "/" + ent->d_name);
    }
    if (S_ISDIR(st.st_mode)) {
      int fd = ::openat(::dirfd(dir), ent->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        if (errno == ENOENT) continue;
        return sys_error("open " + path + "/" + ent->d_name);
      }
      BERTH_TRY(add_tree_size(fd, path + "/" + ent->d_name, links, total));
      continue;
    }
    if (st.st_nlink > 1 && !links.insert({st.st_dev, st.st_ino}).second) continue;
    total += st.st_size;
  }
  return ok_status();
}
}  // namespace

Result<int64_t> tree_size(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return int64_t{0};
    return sys_error("open " + path);
  }
  InodeSet links;
  int64_t total = 0;
  BERTH_TRY(add_tree_size(fd, path, links, total));
  return total;
}

bool path_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<std::vector<std::string>> list_dir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return sys_error("open directory " + path);
  std::vector<std::string> out;
  while (struct dirent* ent = ::readdir(dir)) {
    if (std::strcmp(ent->d_name, ".") == 0 || std::strcmp(ent->d_name, "..") == 0) continue;
    out.emplace_back(ent->d_name);
  }
  ::closedir(dir);
  return out;
}

}  // namespace berth
