// load_project: files -> directory -> environment -> documents -> one model -> name -> profiles
// -> normalised model -> references checked.  The order is compose-go's.
#include <unistd.h>

#include <algorithm>
#include <set>

#include "base/file.h"
#include "base/path.h"
#include "base/strings.h"
#include "compose/env_file.h"
#include "compose/internal/loader_steps.h"
#include "compose/merge.h"
#include "compose/normalize.h"
#include "compose/project.h"

namespace berth::compose {

namespace {

std::string current_dir() {
  char buf[4096];
  return getcwd(buf, sizeof buf) != nullptr ? std::string(buf) : std::string("/");
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Result<std::map<std::string, std::string>> read_dotenv(const std::vector<std::string>& files,
                                                       const std::string& default_file,
                                                       const Lookup& os_lookup) {
  std::map<std::string, std::string> out;
  std::vector<std::string> list = files;
  if (list.empty() && path_exists(default_file)) list.push_back(default_file);
  for (const auto& f : list) {
    BERTH_TRY_ASSIGN(EnvList env, read_env_file(f, os_lookup));
    for (auto& [k, v] : env) out[k] = v;
  }
  return out;
}

bool service_enabled(const Node& svc, const std::set<std::string>& enabled) {
  const Node* profiles = svc.find("profiles");
  if (profiles == nullptr || !profiles->is_seq() || profiles->items().empty()) return true;
  if (enabled.count("*")) return true;
  for (const auto& p : profiles->items()) {
    if (enabled.count(p.scalar_text())) return true;
  }
  return false;
}

}  // namespace

const Node& Project::services() const {
  static const Node kEmpty = Node::map();
  const Node* s = model.find("services");
  return s == nullptr ? kEmpty : *s;
}

std::vector<std::string> Project::service_names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : services().entries()) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

Result<Project> load_project(const LoadOptions& o) {
  Project p;
  const std::string cwd = o.working_dir.empty() ? current_dir() : o.working_dir;
  Lookup os_lookup = [&](const std::string& k) -> std::optional<std::string> {
    auto it = o.os_env.find(k);
    if (it == o.os_env.end()) return std::nullopt;
    return it->second;
  };
  std::string explicit_dir =
      o.project_directory.empty() ? "" : resolve_path(cwd, o.project_directory);
  std::vector<std::string> env_files;
  for (const auto& f : o.env_files) env_files.push_back(resolve_path(cwd, f));

  // COMPOSE_FILE and friends may come from the .env of the directory we start in.
  std::string first_env_dir = explicit_dir.empty() ? cwd : explicit_dir;
  BERTH_TRY_ASSIGN(auto early_env, read_dotenv(env_files, first_env_dir + "/.env", os_lookup));
  auto setting = [&](const std::string& k) -> std::string {
    if (auto v = os_lookup(k)) return *v;
    auto it = early_env.find(k);
    return it == early_env.end() ? "" : it->second;
  };

  std::vector<std::string> files = o.files;
  if (files.empty()) {
    if (std::string cf = setting("COMPOSE_FILE"); !cf.empty()) {
      std::string sep = setting("COMPOSE_PATH_SEPARATOR");
      files = split(cf, sep.empty() ? ':' : sep[0]);
    } else {
      files = find_default_files(first_env_dir);
    }
  }
  if (files.empty()) {
    return make_error(Code::kNotFound, "no configuration file provided: not found");
  }
  for (auto& f : files) {
    if (f != "-") f = resolve_path(cwd, f);
  }
  p.config_files = files;
  p.working_dir = !explicit_dir.empty() ? explicit_dir : files[0] == "-" ? cwd : dir_of(files[0]);

  // The environment interpolation sees: the project's .env, overridden by the OS.
  std::map<std::string, std::string> dotenv = early_env;
  if (env_files.empty() && p.working_dir != first_env_dir) {
    BERTH_TRY_ASSIGN(dotenv, read_dotenv({}, p.working_dir + "/.env", os_lookup));
  }
  p.environment = dotenv;
  for (const auto& [k, v] : o.os_env) p.environment[k] = v;
  Lookup lookup = [&p](const std::string& k) -> std::optional<std::string> {
    auto it = p.environment.find(k);
    if (it == p.environment.end()) return std::nullopt;
    return it->second;
  };

  Node model = Node::map();
  std::vector<std::string> chain = o.include_chain;
  for (const auto& f : files) chain.push_back(f);
  for (const auto& f : files) {
    const std::string* text = f == "-" ? &o.stdin_text : nullptr;
    BERTH_TRY_ASSIGN(Node doc, internal::load_file(f, text, lookup, o.interpolate, &p.warnings));
    BERTH_TRY(
        internal::apply_includes(&doc, f == "-" ? cwd : dir_of(f), o.os_env, &chain, &p.warnings));
    model = merge_documents(model, doc);
  }
  BERTH_TRY(internal::resolve_extends(&model, files[0], p.working_dir, lookup, o.interpolate,
                                      &p.warnings));

  // -p, then COMPOSE_PROJECT_NAME, then `name:`, then the directory.
  std::string name = o.project_name;
  if (name.empty()) name = setting("COMPOSE_PROJECT_NAME");
  if (!name.empty()) {
    if (std::string why = check_project_name(name); !why.empty())
      return make_error(Code::kInvalidArgument, why);
  } else if (model.has("name") && !model.str("name").empty()) {
    name = normalize_project_name(model.str("name"));
  } else {
    name = normalize_project_name(base_of(p.working_dir));
  }
  if (name.empty()) return make_error(Code::kInvalidArgument, "project name must not be empty");
  p.name = name;

  // Profiles: --profile, else COMPOSE_PROFILES.
  std::set<std::string> enabled(o.profiles.begin(), o.profiles.end());
  if (o.profiles.empty()) {
    for (const auto& prof : split(setting("COMPOSE_PROFILES"), ',')) {
      if (!trim(prof).empty()) enabled.insert(trim(prof));
    }
  }
  std::set<std::string> all_profiles;
  if (Node* services = model.find("services")) {
    Node kept = Node::map();
    for (auto& [svc_name, svc] : services->entries()) {
      if (const Node* prof = svc.find("profiles")) {
        for (const auto& x : prof->items()) all_profiles.insert(x.scalar_text());
      }
      if (service_enabled(svc, enabled)) {
        kept.set(svc_name, std::move(svc));
      } else {
        p.disabled_services.push_back(svc_name);
      }
    }
    *services = std::move(kept);
  }
  p.profiles.assign(all_profiles.begin(), all_profiles.end());

  BERTH_TRY(normalize_model(&model, p.name, p.working_dir, lookup));
  // A dependency left out by profiles: Compose names both services.
  for (const auto& [svc_name, svc] : model["services"].entries()) {
    const Node* deps = svc.find("depends_on");
    if (deps == nullptr) continue;
    for (const auto& [dep, cond] : deps->entries()) {
      bool disabled = std::find(p.disabled_services.begin(), p.disabled_services.end(), dep) !=
                      p.disabled_services.end();
      const Node* req = cond.find("required");
      if (disabled && (req == nullptr || !req->is_bool() || req->as_bool())) {
        return make_error(Code::kInvalidArgument,
                          "service \"" + dep + "\" was pulled in as a dependency of service \"" +
                              svc_name + "\" but is not enabled by the active profiles");
      }
    }
  }
  BERTH_TRY(internal::check_references(model));
  p.model = std::move(model);
  return p;
}

}  // namespace berth::compose
