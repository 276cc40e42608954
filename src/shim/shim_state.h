// The shim's one state object and its event loop (shim_loop.cpp).
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "shim/log_writer.h"
#include "shim/shim.h"
#include "shim/shim_client.h"

namespace berth::shim {

struct Conn {
  UniqueFd fd;
  std::string buf;  // request bytes until the first '\n'
  bool attached = false;
  bool in = false, out = false, err = false;
  bool waiting = false;  // a "wait" to answer at exit
  bool reading = true;   // the client may still send (stdin bytes or a request)
  // Stdin bytes read from this attacher that the container's pipe had no room for.  While this
  // is non-empty the connection is not read (backpressure); the stdin fd's EPOLLOUT drains it.
  std::string pending_in;
  bool close_stdin_after = false;  // the client ended its stdin; close once pending_in drained
  // Output frames the client has not taken yet, bounded by kMaxClientBacklog: a slow attacher
  // never stalls the log; one that falls that far behind is dropped, as Docker does.
  std::string pending_out;
};

inline constexpr size_t kMaxClientBacklog = 4 << 20;

struct ShimState {
  ShimConfig config;
  pid_t init_pid = -1;
  UniqueFd epoll;
  UniqueFd signal_fd;
  UniqueFd listen_fd;
  UniqueFd out_fd[2];  // stdout/stderr read ends, or the pty master in out_fd[0]
  UniqueFd stdin_fd;   // write end of the container's stdin (or a dup of the master), O_NONBLOCK
  bool stdin_watched = false;  // stdin_fd is in the epoll set for EPOLLOUT
  LogWriter log;
  std::map<int, std::unique_ptr<Conn>> conns;
  bool exited = false;
  int exit_status = 0;  // waitpid status
  bool stdin_closed_once = false;
};

// Runs until init exited and output drained.
void run_loop(ShimState& s);
// After the loop: answer waits, close attachers.
void finish_clients(ShimState& s, const ExitStatus& status);

}  // namespace berth::shim
