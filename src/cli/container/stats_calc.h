// docker stats' computation from one StatsResponse (GET /containers/{id}/stats), as the docker
// CLI does it on Linux, and the row its --format reads (.Container .ID .Name .CPUPerc
// .MemUsage .MemPerc .NetIO .BlockIO .PIDs).
#pragma once

#include <string>

#include "cli/format/template.h"
#include "model/container.h"

namespace berth::cli {

struct StatsFigures {
  double cpu_percent = 0;
  double memory = 0;
  double memory_limit = 0;
  double memory_percent = 0;
  double net_rx = 0, net_tx = 0;
  double block_read = 0, block_write = 0;
  uint64_t pids = 0;
};

StatsFigures compute_stats(const model::ContainerStatsResponse& stats);
OrderedJson stats_row(const model::ContainerStatsResponse& stats, const std::string& given,
                      bool trunc);

}  // namespace berth::cli
