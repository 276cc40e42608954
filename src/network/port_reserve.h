// Host ports of published container ports are held by a bound socket (never listening): a second
// container, or another program, cannot take the port while the mapping exists.
#pragma once

#include <string>

#include "base/error.h"
#include "base/unique_fd.h"

namespace berth::network {

struct ReservedPort {
  UniqueFd fd;
  int port = 0;
};

// port 0 = any free port.  AlreadyExists (EADDRINUSE) when taken.
Result<ReservedPort> reserve_port(const std::string& proto, const std::string& host_ip, int port);

}  // namespace berth::network
