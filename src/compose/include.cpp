// `include`: other compose files loaded as projects of their own, their resources added.
#include "compose/internal/loader_steps.h"
#include "compose/normalize.h"
#include "compose/project.h"

namespace berth::compose::internal {

namespace {

Status add_resources(Node* doc, const Node& included, const std::string& from) {
  for (const char* section : {"services", "networks", "volumes", "secrets", "configs"}) {
    const Node* theirs = included.find(section);
    if (theirs == nullptr || !theirs->is_map()) continue;
    Node& ours = (*doc)[section];
    if (!ours.is_map()) ours = Node::map();
    for (const auto& [name, def] : theirs->entries()) {
      if (ours.has(name)) {
        return make_error(
            Code::kInvalidArgument,
            std::string(section) + "." + name + " conflicts with imported resource from " + from);
      }
      ours.set(name, def);
    }
  }
  return ok_status();
}

}  // namespace

Status apply_includes(Node* doc, const std::string& dir,
                      const std::map<std::string, std::string>& os_env,
                      std::vector<std::string>* seen_files, std::vector<std::string>* warnings) {
  const Node* includes = doc->find("include");
  if (includes == nullptr) return ok_status();
  Node list = *includes;
  doc->erase("include");
  for (const auto& entry : list.items()) {
    LoadOptions opts;
    opts.os_env = os_env;
    if (entry.is_map()) {
      const Node* p = entry.find("path");
      if (p != nullptr && p->is_seq()) {
        for (const auto& f : p->items()) opts.files.push_back(resolve_path(dir, f.scalar_text()));
      } else if (p != nullptr) {
        opts.files.push_back(resolve_path(dir, p->scalar_text()));
      }
      if (entry.has("project_directory"))
        opts.project_directory = resolve_path(dir, entry.str("project_directory"));
      if (const Node* e = entry.find("env_file")) {
        if (e->is_seq()) {
          for (const auto& f : e->items())
            opts.env_files.push_back(resolve_path(dir, f.scalar_text()));
        } else {
          opts.env_files.push_back(resolve_path(dir, e->scalar_text()));
        }
      }
    } else {
      opts.files.push_back(resolve_path(dir, entry.scalar_text()));
    }
    for (const auto& f : opts.files) {
      for (const auto& seen : *seen_files) {
        if (seen == f) return make_error(Code::kInvalidArgument, "include cycle detected: " + f);
      }
    }
    opts.include_chain = *seen_files;
    opts.profiles = {"*"};  // profiles apply once, to the whole project
    opts.project_name = "included";
    BERTH_TRY_ASSIGN(Project sub, load_project(opts));
    for (auto& w : sub.warnings) warnings->push_back(w);
    // Resource names are given by the including project, later.
    Node model = sub.model;
    for (const char* section : {"networks", "volumes", "secrets", "configs"}) {
      Node* s = model.find(section);
      if (s == nullptr) continue;
      for (auto& [k, def] : s->entries()) {
        if (def.is_map() && def.str("name") == "included_" + k) def.erase("name");
      }
    }
    BERTH_TRY(add_resources(doc, model, opts.files.empty() ? "" : opts.files[0]));
  }
  return ok_status();
}

}  // namespace berth::compose::internal
