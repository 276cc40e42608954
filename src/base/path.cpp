#include "base/path.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "base/strings.h"

namespace berth {

std::string clean_path(const std::string& path) {
  bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string> out;
  for (auto& part : split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!out.empty() && out.back() != "..") {
        out.pop_back();
      } else if (!absolute) {
        out.push_back("..");
      }
      continue;
    }
    out.push_back(part);
  }
  std::string joined = join(out, "/");
  if (absolute) return "/" + joined;
  return joined.empty() ? "." : joined;
}

std::string join_under(const std::string& root, const std::string& unsafe) {
  std::string inner = clean_path("/" + unsafe);
  if (inner == "/") return root;
  if (!root.empty() && root.back() == '/') return root + inner.substr(1);
  return root + inner;
}

Result<std::string> resolve_in_root(const std::string& root, const std::string& unsafe) {
  std::vector<std::string> pending;
  for (auto& p : split(unsafe, '/'))
    if (!p.empty() && p != ".") pending.push_back(p);
  std::vector<std::string> done;  // resolved components below root
  int links = 0;
  size_t i = 0;
  while (i < pending.size()) {
    std::string part = pending[i++];
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    done.push_back(part);
    std::string full = root + "/" + join(done, "/");
    struct stat st;
    if (::lstat(full.c_str(), &st) != 0) continue;  // missing: keep lexical
    if (!S_ISLNK(st.st_mode)) continue;
    if (++links > 40) return make_error(Code::kInvalidArgument, "too many symlinks in " + unsafe);
    char buf[PATH_MAX];
    ssize_t n = ::readlink(full.c_str(), buf, sizeof buf - 1);
    if (n < 0) return sys_error("readlink " + full);
    std::string target(buf, static_cast<size_t>(n));
    done.pop_back();
    if (!target.empty() && target[0] == '/') done.clear();
    std::vector<std::string> rest;
    for (auto& p : split(target, '/'))
      if (!p.empty() && p != ".") rest.push_back(p);
    rest.insert(rest.end(), pending.begin() + static_cast<long>(i), pending.end());
    pending = std::move(rest);
    i = 0;
  }
  if (done.empty()) return root;
  return root + "/" + join(done, "/");
}

}  // namespace berth
