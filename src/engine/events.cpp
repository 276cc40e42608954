#include "engine/events.h"

#include <chrono>

#include "base/time.h"
#include "engine/filters.h"

namespace berth::engine {

model::EventMessage event_message(const Event& e) {
  model::EventMessage m;
  m.type = e.type;
  m.action = e.action;
  m.actor.id = e.id;
  m.actor.attributes = model::Map<std::string>(e.attributes);
  m.scope = "local";
  m.time = e.time_nanos / 1000000000LL;
  m.time_nano = e.time_nanos;
  // The pre-1.22 fields dockerd still fills for containers and images.
  if (e.type == "container" || e.type == "image") {
    m.status = e.action;
    m.id = e.id;
  }
  if (e.type == "container") {
    auto it = e.attributes.find("image");
    if (it != e.attributes.end()) m.from = it->second;
  }
  return m;
}

void EventLog::publish(Event event) {
  std::lock_guard lock(mu_);
  if (event.time_nanos == 0) event.time_nanos = now_nanos();
  event.seq = next_seq_++;
  events_.push_back(std::move(event));
  while (events_.size() > keep_) events_.pop_front();
  cv_.notify_all();
}

uint64_t EventLog::last_seq() {
  std::lock_guard lock(mu_);
  return next_seq_ - 1;
}

bool EventLog::poll(uint64_t* cursor, int wait_ms, const std::function<bool(const Event&)>& sink) {
  std::vector<Event> batch;
  {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return next_seq_ - 1 > *cursor; });
    for (auto& e : events_)
      if (e.seq > *cursor) batch.push_back(e);
    if (!batch.empty()) *cursor = batch.back().seq;
  }
  for (auto& e : batch)
    if (!sink(e)) return false;
  return true;
}

namespace {
bool any_of(const std::vector<std::string>& want,
            const std::function<bool(const std::string&)>& pred) {
  if (want.empty()) return true;
  for (auto& w : want)
    if (pred(w)) return true;
  return false;
}
}  // namespace

// Docker's daemon/events/filter.go: `type` and `event` match exactly (health_status,
// exec_create and exec_start also as a prefix before ": "); container/volume/network match the
// actor's ID or name attribute as a prefix; image matches the ID or name, with or without its
// tag; every label matches one of the actor's attributes.
bool event_matches(const Event& e, const Json& filters) {
  Filters f = Filters::from_json(filters).value_or(Filters());
  auto attr = [&](const char* k) {
    auto it = e.attributes.find(k);
    return it == e.attributes.end() ? std::string() : it->second;
  };
  auto prefix_of = [](const std::string& want, const std::string& value) {
    return !value.empty() && value.rfind(want, 0) == 0;
  };
  auto actor_matches = [&](const char* type) {
    return any_of(f.get(type), [&](const std::string& v) {
      return prefix_of(v, e.id) || prefix_of(v, attr("name"));
    });
  };
  if (!any_of(f.get("type"), [&](const std::string& t) { return t == e.type; })) return false;
  if (!any_of(f.get("event"), [&](const std::string& a) {
        return a == e.action || e.action.rfind(a + ":", 0) == 0;
      }))
    return false;
  if (!actor_matches("container") || !actor_matches("volume") || !actor_matches("network"))
    return false;
  std::string image_name = attr(e.type == "image" ? "name" : "image");
  auto strip_tag = [](const std::string& ref) {
    if (auto at = ref.find('@'); at != std::string::npos) return ref.substr(0, at);
    auto colon = ref.rfind(':');
    if (colon != std::string::npos && ref.find('/', colon) == std::string::npos &&
        ref.rfind("sha256:", 0) != 0)
      return ref.substr(0, colon);
    return ref;
  };
  if (!any_of(f.get("image"), [&](const std::string& i) {
        return i == e.id || i == image_name || i == strip_tag(e.id) || i == strip_tag(image_name);
      }))
    return false;
  return f.match_kv_list("label", e.attributes);
}

}  // namespace berth::engine
