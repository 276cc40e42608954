// A container's output: attaching to its live streams and reading its stored log.
#include <chrono>
#include <thread>

#include "engine/container_entry.h"
#include "engine/engine.h"
#include "engine/log_attrs.h"
#include "engine/log_config.h"
#include "engine/log_reader.h"

namespace berth::engine {

Result<std::shared_ptr<Engine::AttachTicket>> Engine::begin_attach(const std::string& ref, bool in,
                                                                   bool out, bool err) {
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  auto ticket = std::make_shared<AttachTicket>();
  ticket->entry = e;
  ticket->in = in;
  ticket->out = out;
  ticket->err = err;
  if (e->c.running()) {
    ticket->result = shim::ShimClient(shim_dir(e->c.id)).attach(in, out, err);
    ticket->done = true;
    if (!ticket->result) return std::move(ticket->result).error();
  } else if (e->c.state.status == RunState::kCreated) {
    e->pending_attaches.push_back(ticket);
  } else {
    return make_error(Code::kConflict, "You cannot attach to a stopped container, start it first");
  }
  publish(e->c, "attach");
  return ticket;
}

Result<UniqueFd> Engine::finish_attach(const std::shared_ptr<AttachTicket>& ticket,
                                       const std::function<bool()>& alive) {
  std::unique_lock lock(mu_);
  while (!ticket->done) {
    cv_.wait_for(lock, std::chrono::seconds(1));
    if (ticket->done) break;
    if (ticket->entry->removed || (alive && !alive())) {
      std::erase(ticket->entry->pending_attaches, ticket);
      return make_error(Code::kCancelled, "attach cancelled");
    }
  }
  return std::move(ticket->result);
}

Status Engine::read_logs(const std::string& ref, const LogOptions& options, const LogSink& sink) {
  std::string id;
  LogFile file;
  {
    std::lock_guard lock(mu_);
    BERTH_TRY_ASSIGN(auto e, find(ref));
    id = e->c.id;
    BERTH_TRY(check_log_readable(e->c.host_config));
    file = log_file(e->c.host_config, container_dir(id), id);
  }
  LogFollower follower(file.path,
                       file.driver == "local" ? LogFormat::kLocal : LogFormat::kJsonFile);
  auto wanted = [&](const LogEntry& l) {
    if (l.stream == 1 && !options.stdout) return false;
    if (l.stream == 2 && !options.stderr) return false;
    if (options.since && l.time < options.since) return false;
    if (options.until && l.time > options.until) return false;
    return true;
  };
  // First pass: everything already stored, across rotated files, honouring --tail.
  std::vector<LogEntry> lines = follower.read_all();
  std::erase_if(lines, [&](const LogEntry& l) { return !wanted(l); });
  size_t first = 0;
  if (options.tail >= 0 && lines.size() > static_cast<size_t>(options.tail))
    first = lines.size() - static_cast<size_t>(options.tail);
  // docker logs --details: the attributes and a space before each line, even when there are none.
  auto emit = [&](const LogEntry& l) {
    if (!options.details) return sink(l.stream, l.data, l.time);
    return sink(l.stream, log_details(l.attrs) + " " + l.data, l.time);
  };
  for (size_t i = first; i < lines.size(); ++i)
    if (!emit(lines[i])) return ok_status();
  if (!options.follow) return ok_status();

  // Follow: read new entries as the shim appends them (following its rotations) until the
  // container stopped and the files are drained.
  while (true) {
    bool running;
    {
      std::lock_guard lock(mu_);
      auto e = find(id);
      running = e.ok() && (*e)->c.running();
    }
    std::vector<LogEntry> fresh = follower.poll();
    for (auto& l : fresh)
      if (wanted(l) && !emit(l)) return ok_status();
    if (!running && fresh.empty()) return ok_status();
    if (fresh.empty()) {
      // An empty write probes whether the client is still there.
      if (!sink(0, "", 0)) return ok_status();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace berth::engine
