#include "shim/rotating_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "shim/log_format.h"

namespace berth::shim {

namespace {
Result<UniqueFd> open_append(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
  if (!fd) return sys_error("open log " + path);
  return fd;
}
}  // namespace

Result<RotatingFile> RotatingFile::open(std::string path, int64_t max_size, int max_files) {
  RotatingFile f;
  f.path_ = std::move(path);
  f.max_size_ = max_size;
  f.max_files_ = max_files < 1 ? 1 : max_files;
  BERTH_TRY_ASSIGN(f.fd_, open_append(f.path_));
  // A restarted container appends to the log it already has.
  struct stat st {};
  if (::fstat(f.fd_.get(), &st) == 0) f.size_ = st.st_size;
  return f;
}

Status RotatingFile::rotate() {
  if (max_files_ > 1) {
    for (int n = max_files_ - 1; n > 1; --n) {
      std::string from = rotated_log_path(path_, n - 1);
      // ENOENT: fewer rotations happened so far than max_files allows.
      if (::rename(from.c_str(), rotated_log_path(path_, n).c_str()) != 0 && errno != ENOENT)
        return sys_error("rotate log " + from);
    }
    if (::rename(path_.c_str(), rotated_log_path(path_, 1).c_str()) != 0)
      return sys_error("rotate log " + path_);
  } else if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
    return sys_error("rotate log " + path_);
  }
  BERTH_TRY_ASSIGN(fd_, open_append(path_));
  size_ = 0;
  return ok_status();
}

void RotatingFile::append(std::string_view record) {
  if (!fd_) return;
  // If rotating fails the record still goes to the current file: better too big than lost.
  if (max_size_ >= 0 && size_ >= max_size_ && size_ > 0) (void)rotate();
  if (write_all(fd_.get(), record)) size_ += static_cast<int64_t>(record.size());
}

}  // namespace berth::shim
