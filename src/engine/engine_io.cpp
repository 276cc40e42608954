// A container's output: attaching to its live streams and reading its json-file log.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "base/json.h"
#include "base/time.h"
#include "base/unique_fd.h"
#include "engine/engine.h"
#include "engine/engine_entry.h"

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

namespace {
struct LogLine {
  int stream = 1;
  std::string data;
  int64_t time = 0;
};

bool parse_log_line(const std::string& line, LogLine* out) {
  auto j = parse_json(line, "log line");
  if (!j || !j->is_object()) return false;
  out->stream = json_string(*j, "stream") == "stderr" ? 2 : 1;
  out->data = json_string(*j, "log");
  int64_t t = 0;
  parse_rfc3339(json_string(*j, "time"), &t);
  out->time = t;
  return true;
}
}  // namespace

Status Engine::read_logs(const std::string& ref, const LogOptions& options, const LogSink& sink) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    BERTH_TRY_ASSIGN(auto e, find(ref));
    id = e->c.id;
  }
  std::string path = log_path(id);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::string pending;
  auto wanted = [&](const LogLine& l) {
    if (l.stream == 1 && !options.stdout) return false;
    if (l.stream == 2 && !options.stderr) return false;
    if (options.since && l.time < options.since) return false;
    if (options.until && l.time > options.until) return false;
    return true;
  };
  // First pass: everything already in the file, honouring --tail.
  std::vector<LogLine> lines;
  if (fd) {
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) {
      pending.append(buf, static_cast<size_t>(n));
      size_t pos;
      while ((pos = pending.find('\n')) != std::string::npos) {
        LogLine l;
        if (parse_log_line(pending.substr(0, pos), &l) && wanted(l)) lines.push_back(std::move(l));
        pending.erase(0, pos + 1);
      }
    }
  }
  size_t first = 0;
  if (options.tail >= 0 && lines.size() > static_cast<size_t>(options.tail))
    first = lines.size() - static_cast<size_t>(options.tail);
  for (size_t i = first; i < lines.size(); ++i)
    if (!sink(lines[i].stream, lines[i].data, lines[i].time)) return ok_status();
  if (!options.follow) return ok_status();

  // Follow: read new lines as the shim appends them until the container stopped and the file
  // is drained.
  while (true) {
    bool running;
    {
      std::lock_guard lock(mu_);
      auto e = find(id);
      running = e.ok() && (*e)->c.running();
    }
    if (!fd) fd.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    bool got = false;
    if (fd) {
      char buf[65536];
      ssize_t n;
      while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) {
        got = true;
        pending.append(buf, static_cast<size_t>(n));
      }
      size_t pos;
      while ((pos = pending.find('\n')) != std::string::npos) {
        LogLine l;
        if (parse_log_line(pending.substr(0, pos), &l) && wanted(l))
          if (!sink(l.stream, l.data, l.time)) return ok_status();
        pending.erase(0, pos + 1);
      }
    }
    if (!running && !got) return ok_status();
    if (!got) {
      // An empty write probes whether the client is still there.
      if (!sink(0, "", 0)) return ok_status();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace berth::engine
