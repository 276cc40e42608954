// berth-shim: the monitor of one container (see shim_client.h for its protocol and state dir).
// main() reads as the lifecycle: detach, create the container, report ready, relay until init
// exits, record the exit, clean up.  Single-threaded; all state lives in one ShimState.
#pragma once

#include <cstdint>
#include <string>

#include "shim/log_format.h"

namespace berth::shim {

struct ShimConfig {
  std::string id, bundle, state_dir, runtime_root, log_path;
  std::string log_driver = "json-file";  // json-file | local | none
  int64_t log_max_size = -1;             // bytes per log file, -1 = no rotation
  int log_max_files = 1;
  LogAttrs log_attrs;  // recorded with every log entry
  std::string cgroup_root = "/sys/fs/cgroup";
  bool tty = false, open_stdin = false, stdin_once = false;
  int ready_fd = -1;
  bool foreground = false;  // do not detach (tests, debugging)
};

// Returns the process exit code.
int shim_main(const ShimConfig& config);

}  // namespace berth::shim
