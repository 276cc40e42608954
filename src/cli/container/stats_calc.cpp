#include "cli/container/stats_calc.h"

#include <cstdio>

#include "base/strings.h"
#include "cli/flags/timeutil.h"
#include "cli/format/format.h"

namespace berth::cli {

namespace {

double num(const Json& j, std::initializer_list<const char*> path) {
  const Json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return 0;
    cur = &(*cur)[k];
  }
  return cur->is_number() ? cur->get<double>() : 0;
}

}  // namespace

StatsFigures compute_stats(const Json& s) {
  StatsFigures f;
  double cpu_delta = num(s, {"cpu_stats", "cpu_usage", "total_usage"}) -
                     num(s, {"precpu_stats", "cpu_usage", "total_usage"});
  double system_delta =
      num(s, {"cpu_stats", "system_cpu_usage"}) - num(s, {"precpu_stats", "system_cpu_usage"});
  double online = num(s, {"cpu_stats", "online_cpus"});
  if (online == 0) {
    const Json& cpu = s.value("cpu_stats", Json::object());
    Json percpu = cpu.is_object()
                      ? cpu.value("cpu_usage", Json::object()).value("percpu_usage", Json())
                      : Json();
    online = percpu.is_array() ? static_cast<double>(percpu.size()) : 0;
  }
  if (system_delta > 0 && cpu_delta > 0) f.cpu_percent = cpu_delta / system_delta * online * 100.0;

  double usage = num(s, {"memory_stats", "usage"});
  Json mstats = s.value("memory_stats", Json::object()).value("stats", Json::object());
  if (mstats.is_object() && mstats.contains("total_inactive_file") &&
      mstats["total_inactive_file"].get<double>() < usage) {
    f.memory = usage - mstats["total_inactive_file"].get<double>();  // cgroup v1
  } else if (mstats.is_object() && mstats.contains("inactive_file") &&
             mstats["inactive_file"].is_number() && mstats["inactive_file"].get<double>() < usage) {
    f.memory = usage - mstats["inactive_file"].get<double>();  // cgroup v2
  } else {
    f.memory = usage;
  }
  f.memory_limit = num(s, {"memory_stats", "limit"});
  if (f.memory_limit != 0) f.memory_percent = f.memory / f.memory_limit * 100.0;

  if (s.contains("networks") && s["networks"].is_object()) {
    for (auto it = s["networks"].begin(); it != s["networks"].end(); ++it) {
      f.net_rx += num(it.value(), {"rx_bytes"});
      f.net_tx += num(it.value(), {"tx_bytes"});
    }
  }
  Json blkio = s.value("blkio_stats", Json::object());
  if (blkio.is_object() && blkio.contains("io_service_bytes_recursive") &&
      blkio["io_service_bytes_recursive"].is_array()) {
    for (const Json& e : blkio["io_service_bytes_recursive"]) {
      std::string op = json_string(e, "op");
      if (op.empty()) continue;
      if (op[0] == 'r' || op[0] == 'R') f.block_read += num(e, {"value"});
      if (op[0] == 'w' || op[0] == 'W') f.block_write += num(e, {"value"});
    }
  }
  f.pids = static_cast<uint64_t>(num(s, {"pids_stats", "current"}));
  return f;
}

OrderedJson stats_row(const Json& s, const std::string& given, bool trunc) {
  StatsFigures f = compute_stats(s);
  char buf[64];
  OrderedJson row = OrderedJson::object();
  std::snprintf(buf, sizeof buf, "%.2f%%", f.cpu_percent);
  row["BlockIO"] = human_size(f.block_read, 3) + " / " + human_size(f.block_write, 3);
  row["CPUPerc"] = buf;
  row["Container"] = given;
  std::string id = json_string(s, "id");
  row["ID"] = trunc ? truncate_id(id) : id;
  std::snprintf(buf, sizeof buf, "%.2f%%", f.memory_percent);
  row["MemPerc"] = buf;
  row["MemUsage"] = bytes_size(f.memory) + " / " + bytes_size(f.memory_limit);
  std::string name = json_string(s, "name");
  if (!name.empty() && name[0] == '/') name = name.substr(1);
  row["Name"] = name;
  row["NetIO"] = human_size(f.net_rx, 3) + " / " + human_size(f.net_tx, 3);
  row["PIDs"] = std::to_string(f.pids);
  return row;
}

}  // namespace berth::cli
