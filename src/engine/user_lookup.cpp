#include "engine/user_lookup.h"

#include "base/file.h"
#include "base/path.h"
#include "base/strings.h"

namespace berth::engine {

namespace {
// Lines of a colon-separated database inside the rootfs; a missing file is empty.
std::vector<std::vector<std::string>> read_db(const std::string& rootfs, const std::string& path) {
  std::vector<std::vector<std::string>> out;
  auto resolved = resolve_in_root(rootfs, path);
  if (!resolved) return out;
  auto text = read_file(*resolved);
  if (!text) return out;
  for (auto& line : split(*text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back(split(line, ':'));
  }
  return out;
}

bool to_id(const std::string& s, unsigned* out) {
  long long v;
  if (!parse_int64(s, &v) || v < 0 || v > 4294967294LL) return false;
  *out = static_cast<unsigned>(v);
  return true;
}
}  // namespace

Result<ResolvedUser> resolve_user(const std::string& rootfs, const std::string& user) {
  ResolvedUser out;
  std::string name = user, group;
  if (auto colon = user.find(':'); colon != std::string::npos) {
    name = user.substr(0, colon);
    group = user.substr(colon + 1);
  }
  if (name.empty()) name.assign(1, '0');  // not = "0": GCC 12 -Wrestrict false positive
  auto passwd = read_db(rootfs, "/etc/passwd");
  std::string user_name;
  bool numeric = to_id(name, &out.uid);
  bool found = false;
  for (auto& f : passwd) {
    if (f.size() < 4) continue;
    bool match = numeric ? (f[2] == name) : (f[0] == name);
    if (!match) continue;
    if (!to_id(f[2], &out.uid) || !to_id(f[3], &out.gid)) continue;
    if (f.size() > 5 && !f[5].empty()) out.home = f[5];
    user_name = f[0];
    found = true;
    break;
  }
  if (!numeric && !found) {
    return make_error(Code::kInvalidArgument,
                      "unable to find user " + name + ": no matching entries in passwd file");
  }
  auto groups = read_db(rootfs, "/etc/group");
  if (!group.empty()) {
    if (!to_id(group, &out.gid)) {
      bool group_found = false;
      for (auto& f : groups) {
        if (f.size() >= 3 && f[0] == group && to_id(f[2], &out.gid)) {
          group_found = true;
          break;
        }
      }
      if (!group_found)
        return make_error(Code::kInvalidArgument,
                          "unable to find group " + group + ": no matching entries in group file");
    }
  } else if (!user_name.empty()) {
    for (auto& f : groups) {
      if (f.size() < 4) continue;
      unsigned gid;
      if (!to_id(f[2], &gid) || gid == out.gid) continue;
      for (auto& member : split(f[3], ','))
        if (member == user_name) out.additional_gids.push_back(gid);
    }
  }
  return out;
}

}  // namespace berth::engine
