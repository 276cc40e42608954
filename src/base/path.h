// Path joins that never escape a root.  Used for every path taken from an image, an archive or
// a user and resolved inside a container's rootfs or a layer directory.
#pragma once

#include <string>

#include "base/error.h"

namespace berth {

// Lexically cleans `path` ("a/./b/../c" -> "a/c", "/../x" -> "/x"); keeps a leading slash.
std::string clean_path(const std::string& path);

// Joins `unsafe` under `root` lexically: ".." cannot climb above root.  Does not look at the
// filesystem, so symlinks inside root are not resolved (see resolve_in_root for that).
std::string join_under(const std::string& root, const std::string& unsafe);

// Resolves `unsafe` inside `root` following symlinks as if root were "/" (openat2
// RESOLVE_IN_ROOT semantics, done by hand so it also works on kernels without openat2).
// Missing trailing components are allowed and appended lexically.
Result<std::string> resolve_in_root(const std::string& root, const std::string& unsafe);

}  // namespace berth
