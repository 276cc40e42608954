// Unix socket helpers shared by the shim and its client.
#pragma once

#include <string>

#include "base/error.h"
#include "base/unique_fd.h"

namespace berth::shim {

// connect(2) to a unix socket; paths longer than sun_path go through /proc/self/fd/<dir>/.
// Unavailable when nobody listens (ENOENT, ECONNREFUSED).
Result<UniqueFd> connect_unix(const std::string& path);
Result<UniqueFd> listen_unix(const std::string& path);
// Reads one '\n'-terminated line byte by byte (so nothing after it is consumed).
Result<std::string> read_line(int fd, size_t max = 4096);

}  // namespace berth::shim
