// The tar streams of `berth cp`: writing a host path as a tar (ustar, PAX records for long names
// and links) and extracting one into a host directory, optionally renaming its top entry, as
// docker's archive.TarWithOptions / archive.Untar do for cp.
#pragma once

#include <functional>
#include <string>

#include "base/error.h"

namespace berth::cli {

using ReadFn = std::function<Result<size_t>(char* buf, size_t n)>;  // 0 at the end

// Writes `path` (file, directory tree or symlink, not followed) to fd with its top entry named
// `root_name`; returns the bytes of content written.
Result<uint64_t> write_tar(int fd, const std::string& path, const std::string& root_name);
// Extracts into `dest_dir` (which exists).  When `rename_from` is set, a first path component
// equal to it becomes `rename_to` ("" strips it: the entries' contents land in dest_dir).
// Entries that would escape dest_dir ("..", absolute) are refused.
Result<uint64_t> extract_tar(const ReadFn& read, const std::string& dest_dir,
                             const std::string& rename_from, const std::string& rename_to);

}  // namespace berth::cli
