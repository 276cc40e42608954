// Networks and volumes of a project: created with Compose's labels before any container,
// removed by `down`.
#include "compose/container_spec.h"
#include "compose/internal/apply_steps.h"

namespace berth::compose::internal {

namespace {

bool is_external(const Node& def) {
  const Node* ext = def.find("external");
  return ext != nullptr && ((ext->is_bool() && ext->as_bool()) || ext->is_map());
}

}  // namespace

Status ensure_networks(EngineApi& api, const Project& project, const ProgressFn& progress) {
  const Node* nets = project.model.find("networks");
  if (nets == nullptr) return ok_status();
  for (const auto& [key, def] : nets->entries()) {
    std::string name = def.str("name");
    auto existing = api.inspect_network(name);
    if (existing.ok()) continue;
    if (existing.error().code != Code::kNotFound) return existing.error();
    if (is_external(def)) {
      return make_error(Code::kNotFound,
                        "network " + name + " declared as external, but could not be found");
    }
    model::NetworkCreateRequest req;
    req.name = name;
    req.driver = def.has("driver") ? def.str("driver") : "bridge";
    if (const Node* opts = def.find("driver_opts")) {
      for (const auto& [k, v] : opts->entries()) req.options[k] = v.scalar_text();
    }
    if (const Node* labels = def.find("labels")) {
      if (labels->is_map()) {
        for (const auto& [k, v] : labels->entries()) req.labels[k] = v.scalar_text();
      }
    }
    req.labels[kLabelProject] = project.name;
    req.labels[kLabelNetwork] = key;
    req.labels[kLabelVersion] = kComposeVersion;
    if (const Node* v = def.find("internal"); v != nullptr && v->is_bool())
      req.internal = v->as_bool();
    if (const Node* v = def.find("attachable"); v != nullptr && v->is_bool())
      req.attachable = v->as_bool();
    if (const Node* v = def.find("enable_ipv6"); v != nullptr && v->is_bool())
      req.enable_ipv6 = v->as_bool();
    if (const Node* ipam = def.find("ipam")) {
      model::IPAM m;
      m.driver = ipam->has("driver") ? ipam->str("driver") : "default";
      if (const Node* cfgs = ipam->find("config")) {
        for (const auto& c : cfgs->items()) {
          model::IPAMConfig ic;
          ic.subnet = c.str("subnet");
          ic.ip_range = c.str("ip_range");
          ic.gateway = c.str("gateway");
          m.config.push_back(ic);
        }
      }
      req.ipam = m;
    }
    progress("Network", name, "Creating");
    auto st = api.create_network(req);
    if (!st.ok() && st.error().code != Code::kConflict && st.error().code != Code::kAlreadyExists)
      return std::move(st).error().context("failed to create network " + name);
    progress("Network", name, "Created");
  }
  return ok_status();
}

Status ensure_volumes(EngineApi& api, const Project& project, const ProgressFn& progress) {
  const Node* vols = project.model.find("volumes");
  if (vols == nullptr) return ok_status();
  for (const auto& [key, def] : vols->entries()) {
    std::string name = def.str("name");
    auto existing = api.inspect_volume(name);
    if (existing.ok()) continue;
    if (existing.error().code != Code::kNotFound) return existing.error();
    if (is_external(def)) {
      return make_error(Code::kNotFound, "external volume \"" + name + "\" not found");
    }
    model::VolumeCreateOptions req;
    req.name = name;
    req.driver = def.str("driver");
    if (const Node* opts = def.find("driver_opts")) {
      for (const auto& [k, v] : opts->entries()) req.driver_opts[k] = v.scalar_text();
    }
    if (const Node* labels = def.find("labels"); labels != nullptr && labels->is_map()) {
      for (const auto& [k, v] : labels->entries()) req.labels[k] = v.scalar_text();
    }
    req.labels[kLabelProject] = project.name;
    req.labels[kLabelVolume] = key;
    req.labels[kLabelVersion] = kComposeVersion;
    progress("Volume", "\"" + name + "\"", "Creating");
    BERTH_TRY_CTX(api.create_volume(req), "failed to create volume " + name);
    progress("Volume", "\"" + name + "\"", "Created");
  }
  return ok_status();
}

Status remove_networks(EngineApi& api, const Project& project, const ProgressFn& progress) {
  std::vector<std::string> names;
  if (const Node* nets = project.model.find("networks")) {
    for (const auto& [key, def] : nets->entries()) {
      if (!is_external(def)) names.push_back(def.str("name"));
    }
  }
  BERTH_TRY_ASSIGN(auto labelled,
                   api.list_networks({std::string(kLabelProject) + "=" + project.name}));
  for (const auto& n : labelled) {
    if (std::find(names.begin(), names.end(), n.name) == names.end()) names.push_back(n.name);
  }
  for (const auto& name : names) {
    auto existing = api.inspect_network(name);
    if (!existing.ok()) continue;
    progress("Network", name, "Removing");
    auto st = api.remove_network(name);
    if (!st.ok() && st.error().code != Code::kNotFound) return st;
    progress("Network", name, "Removed");
  }
  return ok_status();
}

Status remove_volumes(EngineApi& api, const Project& project, const ProgressFn& progress) {
  const Node* vols = project.model.find("volumes");
  if (vols == nullptr) return ok_status();
  for (const auto& [key, def] : vols->entries()) {
    if (is_external(def)) continue;
    std::string name = def.str("name");
    if (!api.inspect_volume(name).ok()) continue;
    progress("Volume", name, "Removing");
    auto st = api.remove_volume(name);
    if (!st.ok() && st.error().code != Code::kNotFound) return st;
    progress("Volume", name, "Removed");
  }
  return ok_status();
}

}  // namespace berth::compose::internal
