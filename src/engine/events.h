// The engine's event log: what happened to containers, images, volumes and networks, as
// Docker's /events reports it.  Keeps the most recent events in memory (for `since`) and wakes
// subscribers as events arrive.  Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/json.h"
#include "model/system.h"

namespace berth::engine {

struct Event {
  std::string type;    // "container", "image", "volume", "network"
  std::string action;  // "create", "start", "die", "destroy", "health_status: healthy", ...
  std::string id;      // the actor
  std::map<std::string, std::string> attributes;  // name, image, exitCode, signal, labels
  int64_t time_nanos = 0;
  uint64_t seq = 0;
};

// The event as /events sends it.
model::EventMessage event_message(const Event& e);

class EventLog {
 public:
  explicit EventLog(size_t keep = 1024) : keep_(keep) {}
  void publish(Event event);
  // Calls `sink` for each event with seq > *cursor (updating it), waiting up to `wait_ms` for
  // new ones.  Returns false when `sink` asked to stop.
  bool poll(uint64_t* cursor, int wait_ms, const std::function<bool(const Event&)>& sink);
  uint64_t last_seq();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> events_;
  uint64_t next_seq_ = 1;
  size_t keep_;
};

// Docker's /events filters: {"type":["container"],"event":["start"],"container":["name|id"],
// "image":[...],"label":["k=v"]}; a missing key matches everything.
bool event_matches(const Event& e, const Json& filters);

}  // namespace berth::engine
