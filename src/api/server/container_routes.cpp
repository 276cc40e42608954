// /containers/...: create, start, stop, kill, wait, attach, resize, inspect, list, remove, logs.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <set>

#include "api/server/container_views.h"
#include "api/server/routes.h"
#include "api/server/stream_frame.h"
#include "base/file.h"
#include "base/json.h"
#include "base/log.h"
#include "base/strings.h"
#include "base/time.h"
#include "engine/filters.h"
#include "model/container_json.h"

namespace berth::api::server {

namespace {
using engine::Engine;

const char* kMultiplexed = "application/vnd.docker.multiplexed-stream";
const char* kRaw = "application/vnd.docker.raw-stream";

// Copies bytes both ways between the client's hijacked socket and the shim's attach socket
// until the shim closes (the container exited and its output drained).
void proxy(int client, int shim_fd) {
  char buf[65536];
  bool client_open = true;
  while (true) {
    struct pollfd fds[2] = {{shim_fd, POLLIN, 0},
                            {client, static_cast<short>(client_open ? POLLIN : 0), 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::read(shim_fd, buf, sizeof buf);
      if (n <= 0) return;
      if (!write_all(client, std::string_view(buf, static_cast<size_t>(n)))) return;
    }
    if (client_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = ::read(client, buf, sizeof buf);
      if (n <= 0) {
        client_open = false;  // the client closed its side: end of stdin
        ::shutdown(shim_fd, SHUT_WR);
      } else if (!write_all(shim_fd, std::string_view(buf, static_cast<size_t>(n)))) {
        return;
      }
    }
  }
}

Status create(Engine& engine, http::Request& request, http::ResponseWriter& w) {
  BERTH_TRY_ASSIGN(Json body, json_body(request));
  if (!body.is_object())
    return make_error(Code::kInvalidArgument,
                      "config cannot be empty in order to create a container");
  // A wrong type is InvalidArgument naming the field ("HostConfig.Memory: expected integer").
  BERTH_TRY_ASSIGN(auto body_model, model::from_json<model::ContainerCreateRequest>(body));
  engine::CreateRequest create;
  create.name = request.query_value("name");
  if (body_model.host_config) create.host_config = std::move(*body_model.host_config);
  if (body_model.networking_config)
    create.endpoints_config = std::move(body_model.networking_config->endpoints_config);
  // The rest of the body is the Config, members it does not know included.
  model::UnknownFields unknown = std::move(body_model.unknown_fields);
  create.config = std::move(static_cast<model::ContainerConfig&>(body_model));
  create.config.unknown_fields = std::move(unknown);
  BERTH_TRY_ASSIGN(auto result, engine.create_container(create));
  model::ContainerCreateResponse reply;
  reply.id = result.id;
  reply.warnings = result.warnings;
  return send_json(w, 201, model::dump(reply));
}

Status wait(Engine& engine, http::Request& request, http::ResponseWriter& w,
            const std::string& id) {
  std::string cond = request.query_value("condition", "not-running");
  engine::WaitCondition condition;
  if (cond == "not-running" || cond.empty())
    condition = engine::WaitCondition::kNotRunning;
  else if (cond == "next-exit")
    condition = engine::WaitCondition::kNextExit;
  else if (cond == "removed")
    condition = engine::WaitCondition::kRemoved;
  else
    return make_error(Code::kInvalidArgument, "invalid condition: \"" + cond + "\"");
  BERTH_TRY_ASSIGN(auto waiter, engine.register_wait(id, condition));
  // The docker CLI waits for these headers before it starts the container: send them now.
  BERTH_TRY(w.begin_stream(200, "application/json"));
  int fd = request.connection_fd;
  auto result = waiter->wait([fd] { return peer_alive(fd); });
  if (!result) return w.end();
  model::ContainerWaitResponse reply;
  reply.status_code = result->status_code;
  if (!result->error.empty()) reply.error.emplace().message = result->error;
  BERTH_TRY(w.write(model::dump(reply) + "\n"));
  return w.end();
}

Status attach(Engine& engine, http::Request& request, http::ResponseWriter& w,
              const std::string& id) {
  BERTH_TRY_ASSIGN(engine::Container c, engine.get_container(id));
  if (c.state.status == engine::RunState::kPaused)
    return make_error(Code::kConflict,
                      "container " + c.id + " is paused, unpause the container before attach");
  bool in = request.query_bool("stdin"), out = request.query_bool("stdout"),
       err = request.query_bool("stderr");
  // logs=1 replays what the container wrote so far; stream=1 then attaches to it live, as
  // dockerd, which lets a stopped container replay and then ends the stream.
  bool replay = request.query_bool("logs");
  bool live =
      request.query_bool("stream") && (c.running() || c.state.status == engine::RunState::kCreated);
  // Registered before the 101 goes out: the client starts the container right after it.
  std::shared_ptr<Engine::AttachTicket> ticket;
  if (live) {
    BERTH_TRY_ASSIGN(ticket, engine.begin_attach(c.id, in, out, err));
  }
  std::string buffered;
  BERTH_TRY_ASSIGN(UniqueFd client, w.hijack(request, c.tty() ? kRaw : kMultiplexed, &buffered));
  int client_fd = client.get();
  if (replay && (out || err)) {
    engine::LogOptions past;
    past.stdout = out;
    past.stderr = err;
    // A driver that cannot be read (none) just has nothing to replay.
    (void)engine.read_logs(c.id, past, [&](int stream, const std::string& data, int64_t) {
      return stream == 0 || write_all(client_fd, c.tty() ? data : docker_frame(stream, data)).ok();
    });
  }
  if (!live) {
    ::shutdown(client_fd, SHUT_RDWR);
    return ok_status();
  }
  auto shim_fd = engine.finish_attach(ticket, [client_fd] { return peer_alive(client_fd); });
  if (!shim_fd) {
    // Past the 101 only the stream is left to tell the client: as stderr output.
    log_warn("attach " + c.id + ": " + shim_fd.error().message);
    std::string text = "Error: " + shim_fd.error().message + "\n";
    (void)write_all(client.get(), c.tty() ? text : docker_frame(2, text));
    return ok_status();
  }
  if (!buffered.empty()) (void)write_all(shim_fd->get(), buffered);
  proxy(client.get(), shim_fd->get());
  ::shutdown(client.get(), SHUT_RDWR);
  return ok_status();
}

Status logs(Engine& engine, http::Request& request, http::ResponseWriter& w,
            const std::string& id) {
  engine::LogOptions o;
  o.stdout = request.query_bool("stdout");
  o.stderr = request.query_bool("stderr");
  if (!o.stdout && !o.stderr)
    return make_error(Code::kInvalidArgument,
                      "Bad parameters: you must choose at least one stream");
  o.follow = request.query_bool("follow");
  o.timestamps = request.query_bool("timestamps");
  o.details = request.query_bool("details");
  std::string tail = request.query_value("tail", "all");
  long long n;
  if (tail != "all" && parse_int64(tail, &n)) o.tail = n;
  auto parse_time = [](const std::string& text) -> int64_t {
    if (text.empty() || text == "0") return 0;
    double secs = std::atof(text.c_str());
    return static_cast<int64_t>(secs * 1e9);
  };
  o.since = parse_time(request.query_value("since"));
  o.until = parse_time(request.query_value("until"));
  BERTH_TRY_ASSIGN(engine::Container c, engine.get_container(id));
  BERTH_TRY(engine::check_log_readable(c.host_config));
  bool tty = c.tty();
  BERTH_TRY(w.begin_stream(200, tty ? kRaw : kMultiplexed));
  int fd = request.connection_fd;
  Status st = engine.read_logs(c.id, o, [&](int stream, const std::string& data, int64_t t) {
    if (stream == 0) return peer_alive(fd);
    std::string line = o.timestamps ? format_rfc3339_nano(t) + " " + data : data;
    return w.write(tty ? line : docker_frame(stream, line)).ok();
  });
  (void)st;
  return w.end();
}

// GET /containers/json filters (moby daemon/list.go), with what names other objects resolved
// once before the listing: `ancestor` matches the image by any name it was run as or by ID;
// `before`/`since` name another container (the last value wins, as in moby).
struct ListFilters {
  engine::Filters filters;
  std::vector<std::string> ancestor_ids;          // image IDs the `ancestor` values name
  int64_t before = INT64_MAX, since = INT64_MIN;  // creation times (nanos), exclusive
  bool is_task = false;                           // no container is a swarm task here
};

Result<ListFilters> resolve_filters(Engine& engine, const Json& filters) {
  ListFilters f;
  BERTH_TRY_ASSIGN(f.filters, engine::Filters::from_json(filters));
  BERTH_TRY(f.filters.validate({"ancestor", "before", "exited", "health", "id", "isolation",
                                "label", "name", "status", "since", "volume", "network", "is-task",
                                "publish", "expose"}));
  for (auto& s : f.filters.get("status"))
    if (s != "created" && s != "restarting" && s != "running" && s != "removing" && s != "paused" &&
        s != "exited" && s != "dead")
      return engine::Filters::invalid("status", s);
  for (auto& h : f.filters.get("health"))
    if (h != "starting" && h != "healthy" && h != "unhealthy" && h != "none")
      return engine::Filters::invalid("health", h);
  for (auto& x : f.filters.get("exited")) {
    long long code;
    if (!parse_int64(x, &code)) return engine::Filters::invalid("exited", x);
  }
  BERTH_TRY_ASSIGN(f.is_task, f.filters.get_bool("is-task", false));
  for (auto& a : f.filters.get("ancestor"))
    if (auto img = engine.images().get(a); img) f.ancestor_ids.push_back(img->id);
  for (auto& ref : f.filters.get("before")) {
    BERTH_TRY_ASSIGN(auto other, engine.get_container(ref));
    f.before = other.created;
  }
  for (auto& ref : f.filters.get("since")) {
    BERTH_TRY_ASSIGN(auto other, engine.get_container(ref));
    f.since = other.created;
  }
  return f;
}

// "80", "80/tcp", "8000-8080/udp": does `port` ("80/tcp") fall in it?  (moby nat.ParsePortRange)
bool port_in(const std::string& spec, const std::string& port) {
  auto slash = spec.find('/');
  std::string proto = slash == std::string::npos ? "tcp" : spec.substr(slash + 1);
  std::string range = spec.substr(0, slash);
  auto pslash = port.find('/');
  if (port.substr(pslash == std::string::npos ? port.size() : pslash + 1) != proto &&
      !(pslash == std::string::npos && proto == "tcp"))
    return false;
  long long n, lo, hi;
  if (!parse_int64(port.substr(0, pslash), &n)) return false;
  auto dash = range.find('-');
  if (!parse_int64(range.substr(0, dash), &lo)) return false;
  hi = lo;
  if (dash != std::string::npos && !parse_int64(range.substr(dash + 1), &hi)) return false;
  return n >= lo && n <= hi;
}

bool any_value(const engine::Filters& f, const char* key,
               const std::function<bool(const std::string&)>& pred) {
  auto values = f.get(key);
  return values.empty() || std::any_of(values.begin(), values.end(), pred);
}

bool matches_filters(const engine::Container& c, const ListFilters& lf) {
  const engine::Filters& f = lf.filters;
  if (f.empty()) return true;
  if (lf.is_task || c.created >= lf.before || c.created <= lf.since) return false;
  if (!f.exact_match("status", engine::status_name(c.state.status))) return false;
  if (!f.match("name", "/" + c.name) && !f.match("name", c.name)) return false;
  if (!f.match("id", c.id)) return false;
  if (!f.match_kv_list("label", c.config.labels)) return false;
  if (!f.exact_match("isolation", c.host_config.isolation)) return false;
  if (!any_value(f, "ancestor", [&](const std::string& s) {
        if (s == c.image_ref || c.image_id.find(s) != std::string::npos) return true;
        return std::find(lf.ancestor_ids.begin(), lf.ancestor_ids.end(), c.image_id) !=
               lf.ancestor_ids.end();
      }))
    return false;
  if (!f.exact_match("health", c.state.health ? c.state.health->status : "none")) return false;
  if (f.contains("exited") && (c.state.status != engine::RunState::kExited ||
                               !any_value(f, "exited", [&](const std::string& s) {
                                 long long code = 0;
                                 return parse_int64(s, &code) && code == c.state.exit_code;
                               })))
    return false;
  if (!any_value(f, "network", [&](const std::string& s) {
        for (auto& [name, ep] : c.networks)
          if (name == s || ep.network_id.rfind(s, 0) == 0) return true;
        return false;
      }))
    return false;
  if (!any_value(f, "volume", [&](const std::string& s) {
        for (auto& m : c.mount_points)
          if (m.source == s || m.name == s || m.destination == s) return true;
        return false;
      }))
    return false;
  if (!any_value(f, "publish", [&](const std::string& s) {
        for (auto& [port, bindings] : c.ports)
          for (auto& b : bindings)
            if (port_in(s, b.host_port + port.substr(std::min(port.find('/'), port.size()))))
              return true;
        return false;
      }))
    return false;
  if (!any_value(f, "expose", [&](const std::string& s) {
        for (auto& [port, unused] : c.config.exposed_ports)
          if (port_in(s, port)) return true;
        for (auto& [port, unused] : c.host_config.port_bindings)
          if (port_in(s, port)) return true;
        return false;
      }))
    return false;
  return true;
}

Status list(Engine& engine, http::Request& request, http::ResponseWriter& w) {
  bool all = request.query_bool("all");
  bool size = request.query_bool("size");
  long long limit = -1;
  parse_int64(request.query_value("limit", "-1"), &limit);
  BERTH_TRY_ASSIGN(Json filters, filters_param(request));
  BERTH_TRY_ASSIGN(ListFilters resolved, resolve_filters(engine, filters));
  bool by_status = resolved.filters.contains("status");
  // The summaries are made under the engine's lock (no copies of whole containers), the
  // sizes after it (they walk directories).
  struct Row {
    int64_t created;
    std::string id, image_id;
    std::string json;
  };
  std::vector<Row> rows;
  engine.visit_containers([&](const engine::Container& c) {
    if (!all && limit < 0 && !c.running() && !by_status) return;
    if (!matches_filters(c, resolved)) return;
    rows.push_back({c.created, c.id, c.image_id, container_summary_json(c)});
  });
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.created > b.created; });
  if (limit >= 0 && static_cast<long long>(rows.size()) > limit) rows.resize(limit);
  std::string out = "[";
  for (auto& row : rows) {
    if (out.size() > 1) out += ',';
    if (!size) {
      out += row.json;
      continue;
    }
    auto usage = engine.disk_usage(row.id, row.image_id);
    // The summary's closing brace gives way to the two sizes.
    row.json.pop_back();
    out += row.json + ",\"SizeRw\":" + std::to_string(usage.size_rw) +
           ",\"SizeRootFs\":" + std::to_string(usage.size_root_fs) + "}";
  }
  out += "]";
  return send_json(w, 200, out);
}
}  // namespace

void add_container_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add("POST", "/containers/create",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return create(*e, r, w);
             });
  router.add("GET", "/containers/json",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return list(*e, r, w);
             });
  router.add("GET", "/containers/{id}/json",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(auto c, e->get_container(p.at("id")));
               model::ContainerInspectResponse view = container_inspect(c, *e);
               if (r.query_bool("size")) {
                 auto usage = e->disk_usage(c.id, c.image_id);
                 view.size_rw = usage.size_rw;
                 view.size_root_fs = usage.size_root_fs;
               }
               return send_json(w, 200, model::dump(view));
             });
  router.add("POST", "/containers/{id}/start",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(r.body.drain());
               BERTH_TRY(e->start_container(p.at("id")));
               return w.send(204, "", "");
             });
  router.add("POST", "/containers/{id}/stop",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               std::optional<int> timeout;
               long long t;
               if (parse_int64(r.query_value("t"), &t)) timeout = static_cast<int>(t);
               BERTH_TRY(e->stop_container(p.at("id"), timeout, r.query_value("signal")));
               return w.send(204, "", "");
             });
  router.add("POST", "/containers/{id}/kill",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->kill_container(p.at("id"), r.query_value("signal")));
               return w.send(204, "", "");
             });
  router.add("POST", "/containers/{id}/wait",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               return wait(*e, r, w, p.at("id"));
             });
  router.add("POST", "/containers/{id}/attach",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               return attach(*e, r, w, p.at("id"));
             });
  router.add("POST", "/containers/{id}/resize",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               long long h = 0, wd = 0;
               parse_int64(r.query_value("h"), &h);
               parse_int64(r.query_value("w"), &wd);
               auto c = e->get_container(p.at("id"));
               if (!c) return Status(std::move(c).error());
               if (c->running() && c->tty())
                 BERTH_TRY(e->resize(c->id, static_cast<int>(h), static_cast<int>(wd)));
               return w.send(200, "", "text/plain");
             });
  router.add("GET", "/containers/{id}/logs",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               return logs(*e, r, w, p.at("id"));
             });
  router.add("DELETE", "/containers/{id}",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->remove_container(p.at("id"), r.query_bool("force"), r.query_bool("v")));
               return w.send(204, "", "");
             });
}

}  // namespace berth::api::server
