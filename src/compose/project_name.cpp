// Project names and default files, as compose-go's cli options define them.
#include <unistd.h>

#include "base/file.h"
#include "base/strings.h"
#include "compose/project.h"

namespace berth::compose {

std::string normalize_project_name(const std::string& name) {
  std::string out;
  for (char c : to_lower(name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') out += c;
  }
  size_t start = out.find_first_not_of("_-");
  return start == std::string::npos ? "" : out.substr(start);
}

std::string check_project_name(const std::string& name) {
  if (name.empty()) return "project name must not be empty";
  if (normalize_project_name(name) != name) {
    return "\"" + name +
           "\" is not a valid project name: it must contain only characters from [a-z0-9_-] "
           "and start with [a-z0-9]";
  }
  return "";
}

std::vector<std::string> find_default_files(const std::string& start) {
  static const char* kNames[] = {"compose.yaml", "compose.yml", "docker-compose.yaml",
                                 "docker-compose.yml"};
  std::string dir = start;
  while (true) {
    for (const char* name : kNames) {
      std::string path = (dir == "/" ? "" : dir) + "/" + name;
      if (!path_exists(path)) continue;
      std::vector<std::string> out{path};
      std::string base(name);
      std::string stem = base.substr(0, base.rfind('.'));
      for (const char* ext : {".yaml", ".yml"}) {
        std::string override_path = (dir == "/" ? "" : dir) + "/" + stem + ".override" + ext;
        if (path_exists(override_path)) {
          out.push_back(override_path);
          break;
        }
      }
      return out;
    }
    if (dir == "/" || dir.empty()) return {};
    size_t slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
}

}  // namespace berth::compose
