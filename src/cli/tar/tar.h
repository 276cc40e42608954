// The tar streams of `berth cp`: writing a host path as a tar (ustar, PAX records for long names
// and links) and extracting one into a host directory, optionally renaming its top entry, as
// docker's archive.TarWithOptions / archive.Untar do for cp.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/error.h"

namespace berth::cli {

using ReadFn = std::function<Result<size_t>(char* buf, size_t n)>;  // 0 at the end

// One entry's ustar header, as `berth cp` and the build context write it.
struct TarEntry {
  std::string name;
  unsigned mode = 0644;  // permission bits
  unsigned uid = 0, gid = 0;
  uint64_t size = 0;
  int64_t mtime = 0;
  char type = '0';  // '0' file, '2' symlink, '5' directory, 'x' PAX
  std::string link;
};
// Writes the entry's header block, preceded by a PAX record block when its name or link is
// longer than ustar's 100 bytes.
Status write_tar_header(int fd, const TarEntry& entry);

// Writes `path` (file, directory tree or symlink, not followed) to fd with its top entry named
// `root_name`; returns the bytes of content written.
Result<uint64_t> write_tar(int fd, const std::string& path, const std::string& root_name);
// Extracts into `dest_dir` (which exists).  When `rename_from` is set, a first path component
// equal to it becomes `rename_to` ("" strips it: the entries' contents land in dest_dir).
// Entries that would escape dest_dir ("..", absolute) are refused.
Result<uint64_t> extract_tar(const ReadFn& read, const std::string& dest_dir,
                             const std::string& rename_from, const std::string& rename_to);

}  // namespace berth::cli
