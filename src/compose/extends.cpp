// `extends`: a service starts from another service's definition, in this file or another.
#include <set>

#include "compose/internal/loader_steps.h"
#include "compose/merge.h"
#include "compose/normalize.h"

namespace berth::compose::internal {

namespace {

struct Resolver {
  const Lookup& lookup;
  bool interpolate;
  std::vector<std::string>* warnings;
  std::map<std::string, Node> files;  // other files, loaded once
  std::vector<std::string> stack;     // "file#service" being resolved

  Result<Node*> document(const std::string& path) {
    auto it = files.find(path);
    if (it == files.end()) {
      BERTH_TRY_ASSIGN(Node doc, load_file(path, nullptr, lookup, interpolate, warnings));
      it = files.emplace(path, std::move(doc)).first;
    }
    return &it->second;
  }

  // Resolves the service `name` of `doc` (from `file`, relative paths against `dir`) in place.
  Status resolve(Node* doc, const std::string& file, const std::string& dir,
                 const std::string& name) {
    Node* services = doc->find("services");
    Node* svc = services == nullptr ? nullptr : services->find(name);
    if (svc == nullptr) {
      return make_error(Code::kInvalidArgument, "cannot extend service \"" + name + "\" in " +
                                                    file + ": service not found");
    }
    Node* ext = svc->find("extends");
    if (ext == nullptr) return ok_status();
    std::string key = file + "#" + name;
    for (const auto& s : stack) {
      if (s == key) {
        std::string chain;
        for (const auto& x : stack) chain += x.substr(x.find('#') + 1) + " -> ";
        return make_error(Code::kInvalidArgument,
                          "services." + name + ".extends: circular reference: " + chain + name);
      }
    }
    stack.push_back(key);
    std::string base_name = ext->is_map() ? ext->str("service") : ext->scalar_text();
    std::string base_file = ext->is_map() ? ext->str("file") : "";
    Node base;
    if (base_file.empty()) {
      BERTH_TRY(resolve(doc, file, dir, base_name));
      // `doc` may have been modified, not reallocated: the services map keeps its entries.
      base = *doc->find("services")->find(base_name);
    } else {
      std::string path = resolve_path(dir, base_file);
      std::string base_dir = path.substr(0, path.rfind('/'));
      BERTH_TRY_ASSIGN(Node * other, document(path));
      BERTH_TRY(resolve(other, path, base_dir, base_name));
      base = *other->find("services")->find(base_name);
      rebase_service_paths(&base, base_dir);
    }
    stack.pop_back();
    svc = doc->find("services")->find(name);
    Node own = *svc;
    own.erase("extends");
    *svc = merge_service(base, own);
    return ok_status();
  }
};

}  // namespace

Status resolve_extends(Node* doc, const std::string& file, const std::string& dir,
                       const Lookup& lookup, bool interpolate, std::vector<std::string>* warnings) {
  Node* services = doc->find("services");
  if (services == nullptr) return ok_status();
  Resolver r{lookup, interpolate, warnings, {}, {}};
  std::vector<std::string> names;
  for (const auto& [name, svc] : services->entries()) names.push_back(name);
  for (const auto& name : names) BERTH_TRY(r.resolve(doc, file, dir, name));
  return ok_status();
}

}  // namespace berth::compose::internal
