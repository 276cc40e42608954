// What a service names must exist: dependencies, networks, volumes, secrets, configs; and the
// dependency graph must have no cycle.  Compose's messages.
#include <functional>
#include <set>

#include "compose/internal/loader_steps.h"
#include "compose/merge.h"

namespace berth::compose::internal {

namespace {

Error invalid(const std::string& message) {
  return make_error(Code::kInvalidArgument, message + ": invalid compose project");
}

bool defined(const Node& model, const char* section, const std::string& name) {
  const Node* s = model.find(section);
  return s != nullptr && s->is_map() && s->has(name);
}

}  // namespace

Status check_references(const Node& model) {
  const Node* services = model.find("services");
  if (services == nullptr) return ok_status();
  for (const auto& [name, svc] : services->entries()) {
    if (const Node* deps = svc.find("depends_on")) {
      for (const auto& [dep, cond] : deps->entries()) {
        if (services->has(dep)) continue;
        bool required = !(cond.is_map() && cond.find("required") != nullptr &&
                          cond.find("required")->is_bool() && !cond.find("required")->as_bool());
        if (required)
          return invalid("service \"" + name + "\" depends on undefined service \"" + dep + "\"");
      }
    }
    if (const Node* nets = svc.find("networks")) {
      for (const auto& [net, _] : nets->entries()) {
        if (net != "default" && !defined(model, "networks", net)) {
          return invalid("service \"" + name + "\" refers to undefined network " + net);
        }
      }
    }
    if (const Node* vols = svc.find("volumes")) {
      for (const auto& v : vols->items()) {
        if (v.str("type") != "volume" || v.str("source").empty()) continue;
        if (!defined(model, "volumes", v.str("source"))) {
          return invalid("service \"" + name + "\" refers to undefined volume " + v.str("source"));
        }
      }
    }
    for (const char* section : {"secrets", "configs"}) {
      const Node* refs = svc.find(section);
      if (refs == nullptr) continue;
      for (const auto& r : refs->items()) {
        std::string source = r.is_map() ? r.str("source") : r.scalar_text();
        if (!defined(model, section, source)) {
          return invalid("service \"" + name + "\" refers to undefined " +
                         std::string(section).substr(0, std::string(section).size() - 1) + " " +
                         source);
        }
      }
    }
    if (const Node* mode = svc.find("network_mode"); mode != nullptr && mode->is_string()) {
      const std::string& m = mode->as_string();
      if (m.rfind("service:", 0) == 0 && !services->has(m.substr(8)))
        return invalid("service \"" + name + "\" refers to undefined service " + m.substr(8));
    }
  }
  // Cycles: depth-first with colours.
  std::map<std::string, int> colour;
  std::vector<std::string> stack;
  std::function<Status(const std::string&)> visit = [&](const std::string& name) -> Status {
    colour[name] = 1;
    stack.push_back(name);
    const Node* svc = services->find(name);
    if (const Node* deps = svc == nullptr ? nullptr : svc->find("depends_on")) {
      for (const auto& [dep, _] : deps->entries()) {
        if (!services->has(dep)) continue;
        if (colour[dep] == 1) {
          std::string chain;
          bool on = false;
          for (const auto& s : stack) {
            if (s == dep) on = true;
            if (on) chain += s + " -> ";
          }
          return make_error(Code::kInvalidArgument, "dependency cycle detected: " + chain + dep);
        }
        if (colour[dep] == 0) BERTH_TRY(visit(dep));
      }
    }
    stack.pop_back();
    colour[name] = 2;
    return ok_status();
  };
  for (const auto& [name, _] : services->entries()) {
    if (colour[name] == 0) BERTH_TRY(visit(name));
  }
  return ok_status();
}

}  // namespace berth::compose::internal
