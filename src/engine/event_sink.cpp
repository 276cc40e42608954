// The engine's one event sink: containers', images', volumes' and networks' actions, with the
// actor attributes dockerd sets (daemon/events.go, daemon/images/image_events.go,
// volume/service, daemon/network.go).
#include "engine/container_entry.h"
#include "engine/engine.h"

namespace berth::engine {

void Engine::publish_actor(const std::string& type, const std::string& action,
                           const std::string& id, std::map<std::string, std::string> attributes) {
  Event e;
  e.type = type;
  e.action = action;
  e.id = id;
  e.attributes = std::move(attributes);
  events_.publish(std::move(e));
}

void Engine::publish(const Container& c, const std::string& action,
                     std::map<std::string, std::string> extra) {
  extra["name"] = c.name;
  extra["image"] = c.image_ref;
  for (auto& [k, v] : c.config.labels) extra.emplace(k, v);
  publish_actor("container", action, c.id, std::move(extra));
}

void Engine::publish_image(const std::string& action, const std::string& id,
                           const std::string& name) {
  std::map<std::string, std::string> attrs;
  // The image's labels while it still exists (not after `delete`), as dockerd copies them.
  if (action != "delete") {
    if (auto img = images_->get(id); img)
      for (auto& [k, v] : img->config.labels) attrs[k] = v;
  }
  if (!name.empty()) attrs["name"] = name;
  publish_actor("image", action, id, std::move(attrs));
}

void Engine::publish_network(const model::Network& net, const std::string& action,
                             const std::string& container_id) {
  std::map<std::string, std::string> attrs{{"name", net.name}, {"type", net.driver}};
  if (!container_id.empty()) attrs["container"] = container_id;
  publish_actor("network", action, net.id, std::move(attrs));
}

}  // namespace berth::engine
