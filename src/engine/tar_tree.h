// Tar streams of a container's files (docker cp, export) and extraction into them, confined to
// a root: paths and symlinks resolve as if the root were "/", so nothing outside it is read or
// written.  The one engine file that uses libarchive.
#pragma once

#include <functional>
#include <string>

#include "base/error.h"

namespace berth::engine {

// Writes `path_in_root` (a file or a directory tree, symlinks kept as links) to `out_fd` as an
// uncompressed tar whose entries start with `name_in_tar` ("" = the tree's contents at the top).
// `skip` (absolute in-root paths) is left out.
Status write_tree_tar(const std::string& root, const std::string& path_in_root,
                      const std::string& name_in_tar, int out_fd,
                      const std::function<bool(const std::string&)>& skip = nullptr);

// Extracts the tar read from `in_fd` into the directory `dir_in_root`, each entry resolved
// inside `root`; ownership kept when `keep_owner`, else the files belong to root (uid 0).
Status extract_tar_in_root(int in_fd, const std::string& root, const std::string& dir_in_root,
                           bool keep_owner);

}  // namespace berth::engine
