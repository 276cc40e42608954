// How the engine launches and talks to berth-shim, the per-container monitor.
//
// A shim owns one container for its whole life and outlives berthd.  Its state directory
// (`state_dir`, on tmpfs under the exec root) holds:
//   shim.sock   the control socket (one request per connection, line based, see below)
//   shim.pid    the shim's pid
//   exit.json   {"exit_code":N,"finished_at":<unix nanos>,"oom_killed":false}, written atomically
//               when the container's init exits, before the shim closes its sockets and exits
// Control requests (one line each, answered with "ok ...\n" or "error <message>\n"):
//   "start"         runs the created container's process
//   "kill <signo>"  signals the container's init
//   "resize <h> <w>" sets the pty window size (tty containers)
//   "pid"           -> "ok <pid of the container's init>"
//   "wait"          blocks until the container exited -> "ok <exit_code> <finished_nanos> <oom
//   0|1>" "attach <stdin 0|1> <stdout 0|1> <stderr 0|1>" -> "ok\n", then the connection carries the
//                   stream: shim->client the container's output (Docker's 8-byte multiplexed
//                   frames without a tty, raw bytes with one), client->shim stdin bytes.  A client
//                   shutdown(SHUT_WR) closes the container's stdin when stdin_once is set.  The
//                   shim closes the connection after the container exited and output drained.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/error.h"
#include "base/unique_fd.h"
#include "shim/log_format.h"

namespace berth::shim {

struct ShimLaunch {
  std::string shim_binary;   // path of berth-shim
  std::string id;            // container id
  std::string bundle;        // OCI bundle dir with config.json (root.path already mounted)
  std::string state_dir;     // the shim's state dir (created by launch)
  std::string runtime_root;  // the runtime's --root (its per-container state lives below)
  std::string log_path;      // the log file ("" = no log), in log_driver's format
  std::string log_driver = "json-file";  // json-file | local | none (shim/log_format.h)
  int64_t log_max_size = -1;             // rotate past this many bytes (-1 = never)
  int log_max_files = 1;                 // files kept, the live one included
  LogAttrs log_attrs;                    // recorded with every entry (shim/log_format.h)
  bool tty = false;                      // process.terminal: the shim makes the pty
  bool open_stdin = false;               // keep a stdin pipe that attachers write to
  bool stdin_once = false;               // close it when the first attacher with stdin detaches
};

struct ExitStatus {
  int exit_code = 0;        // 128+n for a signal
  int64_t finished_at = 0;  // unix nanos
  bool oom_killed = false;
};

// Spawns berth-shim detached (new session, reparented away from the caller) and returns once the
// container is created but not started, with the shim's pid.  On failure nothing is left running.
Result<pid_t> launch(const ShimLaunch& launch);

// The exit status a shim recorded, NotFound while the container still runs (or never ran).
Result<ExitStatus> read_exit_file(const std::string& state_dir);

class ShimClient {
 public:
  explicit ShimClient(std::string state_dir) : state_dir_(std::move(state_dir)) {}
  // Unavailable when no shim answers (it exited, or never started).
  Status start();
  Status kill(int signo);
  Status resize(int height, int width);
  Result<pid_t> pid();
  Result<ExitStatus> wait();  // blocks
  // The attach stream (see above), handshake done.
  Result<UniqueFd> attach(bool in, bool out, bool err);

 private:
  std::string state_dir_;
};

}  // namespace berth::shim
