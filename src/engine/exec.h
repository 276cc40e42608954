// Processes started in a running container by `docker exec`: their record (what /exec/{id}/json
// shows) and a live session's stdio (pipes, or a pty master with a tty).
#pragma once

#include <sys/types.h>

#include <string>

#include "base/unique_fd.h"
#include "model/exec.h"

namespace berth::engine {

struct ExecRecord {
  std::string id;
  std::string container_id;
  model::ExecCreateRequest config;  // as the client sent it
  bool running = false;
  bool started = false;
  bool has_exit = false;
  int exit_code = 0;
  pid_t pid = 0;         // berth-runtime exec's, which waits for the process
  std::string pid_file;  // where berth-runtime writes the process's own (host) pid
};

// The streams of a started exec.  Without a tty: stdin (write end, if requested), stdout and
// stderr (read ends).  With one: `pty` (the master) carries both ways.
struct ExecSession {
  UniqueFd stdin_fd, stdout_fd, stderr_fd, pty;
  bool tty = false;
};

}  // namespace berth::engine
