// berthd as a program: its command line (dockerd's flags for the same things), daemon.json,
// and the serve loop.  cmd/berthd/main.cpp calls run_daemon.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "engine/engine.h"

namespace berth::api::server {

struct DaemonOptions {
  std::vector<std::string> hosts;  // -H; default unix:///run/berth/berth.sock
  engine::EngineOptions engine;
  std::string pidfile;  // default <exec-root>/berthd.pid
  std::string log_level = "info";
  std::string config_file;  // daemon.json
};

// Parses argv (flags as dockerd spells them); *exit_now is set for --help/--version.
Result<DaemonOptions> parse_daemon_args(int argc, char** argv, bool* exit_now);
int run_daemon(const DaemonOptions& options);

}  // namespace berth::api::server
