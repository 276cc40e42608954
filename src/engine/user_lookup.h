// Resolves Docker's `--user` ("name", "uid", "name:group", "uid:gid") against the container's
// own /etc/passwd and /etc/group (read inside the rootfs, never following links out of it).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace berth::engine {

struct ResolvedUser {
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> additional_gids;  // groups listing the user in /etc/group
  std::string home = "/";
};

Result<ResolvedUser> resolve_user(const std::string& rootfs, const std::string& user);

}  // namespace berth::engine
