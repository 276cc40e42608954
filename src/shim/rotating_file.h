// An append-only log file that rotates as Docker's loggerutils.LogFile does: before a write,
// when the file already holds max_size bytes or more, <path>.(n-1) becomes <path>.n ... <path>
// becomes <path>.1 and a new <path> is started; <path>.(max_files-1) is the oldest kept.  So a
// file exceeds max_size by at most one record.  With max_files 1 the file is replaced by an
// empty one.  The new file is always a new inode, which is how a follower (berthd, another
// process) notices the rotation.  Owned by one thread (the shim's loop).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/unique_fd.h"

namespace berth::shim {

class RotatingFile {
 public:
  RotatingFile() = default;
  // max_size < 0: never rotate.  REQUIRES: max_files >= 1.
  static Result<RotatingFile> open(std::string path, int64_t max_size, int max_files);
  bool is_open() const { return fd_.valid(); }
  // Writes one whole record.  A failed write (full disk) is dropped, as Docker does: it must not
  // stop the container.
  void append(std::string_view record);

 private:
  Status rotate();
  std::string path_;
  int64_t max_size_ = -1;
  int max_files_ = 1;
  int64_t size_ = 0;
  UniqueFd fd_;
};

}  // namespace berth::shim
