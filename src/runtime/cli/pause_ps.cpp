// pause, resume, ps, features.
#include <unistd.h>

#include <cstdio>

#include "base/file.h"
#include "base/json.h"
#include "runtime/cli/cli.h"
#include "runtime/runtime.h"

namespace berth::runtime::cli {

namespace {
Result<std::string> only_id(const Args& args, const char* verb) {
  BERTH_TRY_ASSIGN(auto pos, args.positionals());
  if (pos.size() != 1)
    return make_error(Code::kInvalidArgument,
                      std::string(verb) + " requires exactly one container id");
  return pos[0];
}
}  // namespace

Result<int> cmd_pause(const Globals& g, Args args) {
  BERTH_TRY_ASSIGN(std::string id, only_id(args, "pause"));
  BERTH_TRY(pause(g.root, id, g.cgroup_root));
  return 0;
}

Result<int> cmd_resume(const Globals& g, Args args) {
  BERTH_TRY_ASSIGN(std::string id, only_id(args, "resume"));
  BERTH_TRY(resume(g.root, id, g.cgroup_root));
  return 0;
}

// runc ps: `--format json` is a list of pids; the table is PID and CMD.
Result<int> cmd_ps(const Globals& g, Args args) {
  std::string format = "table";
  args.take_value("--format", "-f", &format);
  BERTH_TRY_ASSIGN(auto pos, args.positionals());
  if (pos.empty()) return make_error(Code::kInvalidArgument, "ps requires a container id");
  BERTH_TRY_ASSIGN(auto pids, processes(g.root, pos[0], g.cgroup_root));
  if (format == "json") {
    printf("%s\n", dump_json(Json(pids)).c_str());
    return 0;
  }
  if (format != "table") return make_error(Code::kInvalidArgument, "invalid format " + format);
  printf("%-10s %s\n", "PID", "CMD");
  for (pid_t p : pids) {
    auto cmd = read_file("/proc/" + std::to_string(p) + "/cmdline");
    std::string text = cmd ? *cmd : "";
    for (auto& c : text)
      if (c == '\0') c = ' ';
    while (!text.empty() && text.back() == ' ') text.pop_back();
    printf("%-10d %s\n", p, text.c_str());
  }
  return 0;
}

// events --stats: one stats sample as JSON (runc's shape, the fields Berth reads).
Result<int> cmd_events(const Globals& g, Args args) {
  if (!args.take_flag("--stats", ""))
    return make_error(Code::kNotImplemented, "events: only --stats is implemented");
  BERTH_TRY_ASSIGN(std::string id, only_id(args, "events"));
  BERTH_TRY_ASSIGN(CgroupStats s, stats(g.root, id, g.cgroup_root));
  Json mem_stat = Json::object();
  for (auto& [k, v] : s.memory_stat) mem_stat[k] = v;
  Json huge = Json::object();
  for (auto& [k, v] : s.hugetlb_usage) huge[k] = {{"usage", v}};
  Json data = {{"cpu",
                {{"usage",
                  {{"total", s.cpu_usage_ns},
                   {"user", s.cpu_user_ns},
                   {"kernel", s.cpu_system_ns},
                   {"percpu", s.percpu_usage_ns}}},
                 {"throttling",
                  {{"periods", s.cpu_periods},
                   {"throttledPeriods", s.cpu_throttled_periods},
                   {"throttledTime", s.cpu_throttled_ns}}}}},
               {"memory",
                {{"usage",
                  {{"usage", s.memory_usage},
                   {"max", s.memory_max_usage},
                   {"limit", s.memory_limit},
                   {"failcnt", s.memory_failcnt}}},
                 {"swap", {{"usage", s.swap_usage}}},
                 {"oomKills", s.oom_kills},
                 {"raw", mem_stat}}},
               {"pids", {{"current", s.pids_current}, {"limit", s.pids_limit}}},
               {"blkio",
                {{"readBytes", s.io_read_bytes},
                 {"writeBytes", s.io_write_bytes},
                 {"readOps", s.io_read_ops},
                 {"writeOps", s.io_write_ops}}},
               {"hugetlb", huge}};
  printf("%s\n", dump_json(Json{{"type", "stats"}, {"id", id}, {"data", data}}).c_str());
  return 0;
}

Result<int> cmd_features(const Globals&, Args) {
  printf("%s\n", features_json().c_str());
  return 0;
}

}  // namespace berth::runtime::cli
