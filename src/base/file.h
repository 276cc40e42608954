// Whole-file reads and atomic writes, directory helpers.  Atomic writes go to a temp file in the
// same directory, fsync, then rename, so a reader sees the old or the new content, never half.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"

namespace berth {

Result<std::string> read_file(const std::string& path);
// `sync` = false skips the fsync for files rebuilt at every use (a container's config.json,
// /etc/hosts): still never half-written, not durable across a crash.
Status write_file_atomic(const std::string& path, std::string_view data, int mode = 0644,
                         bool sync = true);
Status write_file(const std::string& path, std::string_view data, int mode = 0644);
// mkdir -p; existing directories are fine.
Status make_dirs(const std::string& path, int mode = 0755);
// rm -rf that stays on one filesystem and never follows symlinks; a missing path is fine.
Status remove_all(const std::string& path);
// du's apparent size as Docker counts a container's writable layer (pkg/directory.Size): the
// st_size of everything but directories, each hard-linked inode once, never following symlinks.
// A missing path is 0.
Result<int64_t> tree_size(const std::string& path);
bool path_exists(const std::string& path);
bool is_directory(const std::string& path);
Result<std::vector<std::string>> list_dir(const std::string& path);
// Writes all of `data` to fd, retrying on EINTR and short writes.
Status write_all(int fd, std::string_view data);
// Reads until EOF.
Result<std::string> read_all(int fd);

}  // namespace berth
