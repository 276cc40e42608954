// berth stats [-a] [--no-stream] [--no-trunc] [--format T] [CONTAINER...]:
// GET /containers/{id}/stats?stream=1|0 per container, with docker's computation of CPU %
// (container delta over system delta times online CPUs), memory without inactive_file, network
// and block I/O sums and PIDs.  Streaming redraws the table once a second.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/container/stats_calc.h"
#include "cli/flags/timeutil.h"
#include "cli/format/format.h"
#include "cli/format/list_format.h"
#include "model/container_json.h"

namespace berth::cli {

namespace {

constexpr const char* kStatsTable =
    "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}"
    "\t{{.PIDs}}";

OrderedJson stats_header() {
  return {{"Container", "CONTAINER"},
          {"ID", "CONTAINER ID"},
          {"Name", "NAME"},
          {"CPUPerc", "CPU %"},
          {"MemUsage", "MEM USAGE / LIMIT"},
          {"MemPerc", "MEM %"},
          {"NetIO", "NET I/O"},
          {"BlockIO", "BLOCK I/O"},
          {"PIDs", "PIDS"}};
}

struct Entry {
  std::string given;  // as named on the command line (or the short ID)
  OrderedJson row;
  bool have = false;
  bool gone = false;
};

}  // namespace

int cmd_stats(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("all", 'a', "Show all containers (default shows just running)");
  flags.add_bool("no-stream", 0, "Disable streaming stats and only pull the first result");
  flags.add_bool("no-trunc", 0, "Do not truncate output");
  flags.add_string("format", 0, "", "Format output using a custom template");
  int rc = parse_flags(flags, "stats", "stats [OPTIONS] [CONTAINER...]", args);
  if (rc >= 0) return rc;
  if (!ctx.connect().ok()) return 1;
  bool stream = !flags.get_bool("no-stream");
  bool trunc = !flags.get_bool("no-trunc");
  std::vector<std::string> names = flags.args();
  if (names.empty()) {
    auto list =
        ctx.call("GET", std::string("/containers/json") + (flags.get_bool("all") ? "?all=1" : ""));
    if (!list.ok()) return 1;
    if (!is_success(list->status)) {
      print_daemon_error(*list);
      return 1;
    }
    auto listed = decode_body<model::List<model::ContainerSummary>>(list->body, "container list");
    if (!listed.ok()) return 1;
    for (const model::ContainerSummary& c : *listed) names.push_back(truncate_id(c.id));
  }
  std::mutex mu;
  std::vector<Entry> entries(names.size());
  std::vector<std::string> errors(names.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < names.size(); ++i) {
    entries[i].given = names[i];
    threads.emplace_back([&, i] {
      api::Client client = ctx.client;
      auto resp = client.stream("GET", "/containers/" + api::http::percent_encode(names[i]) +
                                           "/stats?stream=" + (stream ? "1" : "0"));
      if (!resp.ok() || !is_success(resp->status)) {
        std::lock_guard<std::mutex> lock(mu);
        errors[i] = resp.ok()
                        ? api::Client::error_message(resp->status, resp->read_all().value_or(""))
                        : resp.error().message;
        entries[i].gone = true;
        return;
      }
      while (true) {
        auto line = stream ? resp->read_line() : resp->read_all();
        if (!line.ok() || line->empty()) break;
        auto s = model::parse<model::ContainerStatsResponse>(*line, "stats");
        if (!s.ok()) continue;
        OrderedJson row = stats_row(*s, names[i], trunc);
        std::lock_guard<std::mutex> lock(mu);
        entries[i].row = std::move(row);
        entries[i].have = true;
        if (!stream) break;
      }
      std::lock_guard<std::mutex> lock(mu);
      entries[i].gone = true;
    });
  }
  ListFormat lf{flags.get_string("format"), kStatsTable, stats_header(), "*formatter.statsContext"};
  auto render = [&]() -> Result<std::string> {
    std::vector<OrderedJson> rows;
    std::lock_guard<std::mutex> lock(mu);
    for (const Entry& e : entries) {
      if (e.have) rows.push_back(e.row);
    }
    return format_list(lf, rows);
  };
  int exit_code = 0;
  if (!stream) {
    for (auto& t : threads) t.join();
    for (const std::string& e : errors) {
      if (!e.empty()) {
        print_error("Error response from daemon: " + e);
        exit_code = 1;
      }
    }
    auto out = render();
    if (!out.ok()) {
      print_error(out.error().message);
      return 1;
    }
    (void)write_all(1, *out);
    return exit_code;
  }
  bool tty = ::isatty(1);
  while (true) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    auto out = render();
    if (!out.ok()) {
      print_error(out.error().message);
      std::_Exit(1);
    }
    if (!write_all(1, (tty ? "\033[2J\033[H" : "") + *out).ok()) std::_Exit(0);
    bool all_gone = true;
    {
      std::lock_guard<std::mutex> lock(mu);
      for (const Entry& e : entries) all_gone = all_gone && e.gone;
    }
    if (all_gone && !names.empty()) break;
  }
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace berth::cli
