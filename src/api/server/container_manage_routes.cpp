// /containers/{id}/restart|pause|unpause|rename|update|top|stats, /containers/prune, /events.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "api/server/routes.h"
#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/time.h"
#include "model/container_json.h"
#include "model/system_json.h"

namespace berth::api::server {

namespace {
using engine::Engine;

std::optional<int> timeout_param(const http::Request& r) {
  long long t;
  if (parse_int64(r.query_value("t"), &t)) return static_cast<int>(t);
  return std::nullopt;
}

// The host's CPU time in nanoseconds (the "cpu" line of /proc/stat), as dockerd reports
// system_cpu_usage.
uint64_t system_cpu_ns() {
  auto text = read_file("/proc/stat");
  if (!text) return 0;
  auto line = text->substr(0, text->find('\n'));
  uint64_t total = 0;
  for (auto& f : split(line, ' ')) {
    long long v;
    if (parse_int64(f, &v)) total += static_cast<uint64_t>(v);
  }
  return total * (1000000000ULL / static_cast<uint64_t>(::sysconf(_SC_CLK_TCK)));
}

model::ContainerCPUStats cpu_stats(const runtime::CgroupStats& s, uint64_t system) {
  model::ContainerCPUStats cpu;
  cpu.cpu_usage.total_usage = s.cpu_usage_ns;
  cpu.cpu_usage.usage_in_kernelmode = s.cpu_system_ns;
  cpu.cpu_usage.usage_in_usermode = s.cpu_user_ns;
  if (!s.percpu_usage_ns.empty()) cpu.cpu_usage.percpu_usage = s.percpu_usage_ns;
  cpu.system_cpu_usage = system;
  cpu.online_cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  cpu.throttling_data.periods = s.cpu_periods;
  cpu.throttling_data.throttled_periods = s.cpu_throttled_periods;
  cpu.throttling_data.throttled_time = s.cpu_throttled_ns;
  return cpu;
}

model::ContainerStatsResponse stats_sample(const engine::Container& c,
                                           const runtime::CgroupStats& s, uint64_t system,
                                           const model::ContainerCPUStats& pre,
                                           const std::string& preread) {
  model::ContainerStatsResponse out;
  out.read = format_rfc3339_nano(now_nanos());
  out.preread = preread;
  out.pids_stats.current = s.pids_current;
  out.pids_stats.limit = s.pids_limit;
  auto& blkio = out.blkio_stats.io_service_bytes_recursive;
  blkio.set_empty();
  if (s.io_read_bytes || s.io_write_bytes) {
    for (auto [op, value] : {std::pair{"read", s.io_read_bytes}, {"write", s.io_write_bytes}}) {
      model::ContainerBlkioStatEntry entry;
      entry.op = op;
      entry.value = value;
      blkio.push_back(std::move(entry));
    }
  }
  out.cpu_stats = cpu_stats(s, system);
  out.precpu_stats = pre;
  model::ContainerMemoryStats& memory = out.memory_stats;
  memory.usage = s.memory_usage;
  memory.stats.set_empty();
  for (auto& [k, v] : s.memory_stat) memory.stats[k] = v;
  memory.limit = s.memory_limit;
  memory.max_usage = s.memory_max_usage;
  memory.failcnt = s.memory_failcnt;
  // No limit (0, or v1's "unlimited" near 2^63): Docker reports the host's memory.
  uint64_t host_mem = static_cast<uint64_t>(::sysconf(_SC_PHYS_PAGES)) *
                      static_cast<uint64_t>(::sysconf(_SC_PAGE_SIZE));
  if (s.memory_limit == 0 || s.memory_limit > host_mem) memory.limit = host_mem;
  out.name = "/" + c.name;
  out.id = c.id;
  return out;
}

Status stats(Engine& engine, http::Request& r, http::ResponseWriter& w, const std::string& ref) {
  BERTH_TRY_ASSIGN(engine::Container c, engine.get_container(ref));
  bool stream = r.query_bool("stream", true);
  bool one_shot = r.query_bool("one-shot");
  model::ContainerCPUStats pre;
  std::string preread = kZeroTime;
  if (!stream && !one_shot) {
    // Like dockerd: two samples a second apart, so the client can compute CPU %.
    BERTH_TRY_ASSIGN(auto s0, engine.stats(c.id));
    pre = cpu_stats(s0, system_cpu_ns());
    preread = format_rfc3339_nano(now_nanos());
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  BERTH_TRY(w.begin_stream(200, "application/json"));
  while (true) {
    auto c_now = engine.get_container(c.id);
    if (!c_now) break;
    BERTH_TRY_ASSIGN(auto s, engine.stats(c.id));
    uint64_t system = system_cpu_ns();
    model::ContainerStatsResponse sample = stats_sample(*c_now, s, system, pre, preread);
    if (!w.write(model::dump(sample) + "\n")) break;
    if (!stream) break;
    pre = sample.cpu_stats;
    preread = sample.read;
    for (int i = 0; i < 10; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!peer_alive(r.connection_fd)) return w.end();
    }
  }
  return w.end();
}

Status events(Engine& engine, http::Request& r, http::ResponseWriter& w) {
  BERTH_TRY_ASSIGN(Json filters, filters_param(r));
  auto parse_time = [](const std::string& text) -> int64_t {
    if (text.empty()) return 0;
    int64_t t;
    if (parse_rfc3339(text, &t)) return t;
    return static_cast<int64_t>(std::atof(text.c_str()) * 1e9);
  };
  bool has_since = !r.query_value("since").empty();
  int64_t since = parse_time(r.query_value("since"));
  int64_t until = parse_time(r.query_value("until"));
  BERTH_TRY(w.begin_stream(200, "application/json"));
  // With `since`, replay what the log still holds; without it, only what happens from now.
  uint64_t cursor = has_since ? 0 : engine.events().last_seq();
  while (true) {
    bool past_until = false;
    bool ok = engine.events().poll(&cursor, 500, [&](const engine::Event& e) {
      if (until && e.time_nanos > until) {
        past_until = true;
        return false;
      }
      if (has_since && e.time_nanos < since) return true;
      if (!engine::event_matches(e, filters)) return true;
      return w.write(model::dump(engine::event_message(e)) + "\n").ok();
    });
    if (!ok && !past_until) break;
    if (past_until || (until && now_nanos() > until)) break;
    if (!peer_alive(r.connection_fd)) break;
  }
  return w.end();
}
}  // namespace

void add_container_manage_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add(
      "POST", "/containers/{id}/restart",
      [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
        BERTH_TRY(e->restart_container(p.at("id"), timeout_param(r), r.query_value("signal")));
        return w.send(204, "", "");
      });
  router.add("POST", "/containers/{id}/pause",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->pause_container(p.at("id")));
               return w.send(204, "", "");
             });
  router.add("POST", "/containers/{id}/unpause",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->unpause_container(p.at("id")));
               return w.send(204, "", "");
             });
  router.add("POST", "/containers/{id}/rename",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->rename_container(p.at("id"), r.query_value("name")));
               return w.send(204, "", "");
             });
  router.add("POST", "/containers/{id}/update",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(std::string body, json_body_text(r));
               BERTH_TRY_ASSIGN(auto update, model::parse<model::ContainerUpdateConfig>(
                                                 body.empty() ? "{}" : body, "update"));
               BERTH_TRY_ASSIGN(auto warnings, e->update_container(p.at("id"), update));
               model::ContainerUpdateResponse reply;
               reply.warnings = warnings;
               return send_json(w, 200, model::dump(reply));
             });
  router.add("POST", "/containers/prune",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json filters, filters_param(r));
               BERTH_TRY_ASSIGN(auto removed, e->prune_containers(filters));
               model::ContainerPruneResponse reply;
               reply.containers_deleted = removed;
               return send_json(w, 200, model::dump(reply));
             });
  router.add("GET", "/containers/{id}/top",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(auto top, e->top(p.at("id"), r.query_value("ps_args")));
               return send_json(w, 200, model::dump(top));
             });
  router.add("GET", "/containers/{id}/stats",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               return stats(*e, r, w, p.at("id"));
             });
  router.add("GET", "/events",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return events(*e, r, w);
             });
}

}  // namespace berth::api::server
