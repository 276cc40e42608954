// Attached `compose up`: the project's logs streamed with Compose's prefixes until every
// container has exited, or the project is stopped (abort on exit, Ctrl-C).  See attached.cpp.
#pragma once

#include <string>
#include <vector>

#include "cli/compose/compose_api.h"

namespace berth::cli {

struct AttachOptions {
  std::vector<std::string> services;  // whose containers are attached
  bool no_log_prefix = false;
  bool no_color = false;
  bool abort_on_exit = false;  // --abort-on-container-exit (also implied by exit_code_from)
  std::string exit_code_from;
  int timeout = -1;  // stop timeout; < 0: each container's own
};

// The exit code `up` returns: 0, the first exited container's code when aborting on exit (that
// of `exit_code_from` if set), 130 after SIGINT/SIGTERM.
int attach_project(compose::EngineApi& api, const compose::Project& project,
                   const AttachOptions& options);

}  // namespace berth::cli
