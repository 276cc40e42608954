// berthd: the Berth daemon.  Parses its flags and serves the Engine API until SIGTERM.
#include <cstdio>

#include "api/server/daemon.h"

int main(int argc, char** argv) {
  bool exit_now = false;
  auto options = berth::api::server::parse_daemon_args(argc, argv, &exit_now);
  if (!options) {
    std::fprintf(stderr, "berthd: %s\n", options.error().message.c_str());
    return 125;
  }
  if (exit_now) return 0;
  return berth::api::server::run_daemon(*options);
}
