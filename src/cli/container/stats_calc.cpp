#include "cli/container/stats_calc.h"

#include <cstdio>

#include "base/strings.h"
#include "cli/flags/timeutil.h"
#include "cli/format/format.h"

namespace berth::cli {

namespace {

double num(uint64_t v) { return static_cast<double>(v); }

}  // namespace

StatsFigures compute_stats(const model::ContainerStatsResponse& s) {
  StatsFigures f;
  double cpu_delta =
      num(s.cpu_stats.cpu_usage.total_usage) - num(s.precpu_stats.cpu_usage.total_usage);
  double system_delta = num(s.cpu_stats.system_cpu_usage) - num(s.precpu_stats.system_cpu_usage);
  double online = static_cast<double>(s.cpu_stats.online_cpus);
  if (online == 0) online = static_cast<double>(s.cpu_stats.cpu_usage.percpu_usage.size());
  if (system_delta > 0 && cpu_delta > 0) f.cpu_percent = cpu_delta / system_delta * online * 100.0;

  double usage = num(s.memory_stats.usage);
  const model::Map<uint64_t>& mstats = s.memory_stats.stats;
  auto v1 = mstats.find("total_inactive_file");  // cgroup v1
  auto v2 = mstats.find("inactive_file");        // cgroup v2
  if (v1 != mstats.end() && num(v1->second) < usage) {
    f.memory = usage - num(v1->second);
  } else if (v2 != mstats.end() && num(v2->second) < usage) {
    f.memory = usage - num(v2->second);
  } else {
    f.memory = usage;
  }
  f.memory_limit = num(s.memory_stats.limit);
  if (f.memory_limit != 0) f.memory_percent = f.memory / f.memory_limit * 100.0;

  for (const auto& [name, net] : s.networks) {
    f.net_rx += num(net.rx_bytes);
    f.net_tx += num(net.tx_bytes);
  }
  for (const model::ContainerBlkioStatEntry& e : s.blkio_stats.io_service_bytes_recursive) {
    if (e.op.empty()) continue;
    if (e.op[0] == 'r' || e.op[0] == 'R') f.block_read += num(e.value);
    if (e.op[0] == 'w' || e.op[0] == 'W') f.block_write += num(e.value);
  }
  f.pids = s.pids_stats.current;
  return f;
}

OrderedJson stats_row(const model::ContainerStatsResponse& s, const std::string& given,
                      bool trunc) {
  StatsFigures f = compute_stats(s);
  char buf[64];
  OrderedJson row = OrderedJson::object();
  std::snprintf(buf, sizeof buf, "%.2f%%", f.cpu_percent);
  row["BlockIO"] = human_size(f.block_read, 3) + " / " + human_size(f.block_write, 3);
  row["CPUPerc"] = buf;
  row["Container"] = given;
  row["ID"] = trunc ? truncate_id(s.id) : s.id;
  std::snprintf(buf, sizeof buf, "%.2f%%", f.memory_percent);
  row["MemPerc"] = buf;
  row["MemUsage"] = bytes_size(f.memory) + " / " + bytes_size(f.memory_limit);
  std::string name = s.name;
  if (!name.empty() && name[0] == '/') name = name.substr(1);
  row["Name"] = name;
  row["NetIO"] = human_size(f.net_rx, 3) + " / " + human_size(f.net_tx, 3);
  row["PIDs"] = std::to_string(f.pids);
  return row;
}

}  // namespace berth::cli
