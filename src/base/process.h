// Child processes: spawning helpers (fork+exec with explicit stdio) and a move-only Child that
// owns a pidfd, so a pid is never signalled after it was reaped and reused.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"

namespace berth {

struct SpawnOptions {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // empty: inherit
  int stdin_fd = -1;             // -1: /dev/null
  int stdout_fd = -1;            // -1: /dev/null
  int stderr_fd = -1;            // -1: /dev/null
  bool new_session = false;      // setsid() in the child
  std::vector<int> keep_fds;     // fds (besides 0-2) the child keeps, at the same numbers
};

class Child {
 public:
  Child() = default;
  Child(pid_t pid, UniqueFd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
  Child(Child&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)), pidfd_(std::move(other.pidfd_)) {}
  Child& operator=(Child&& other) noexcept;
  ~Child();  // kills (SIGKILL) and reaps a child that was not waited for or released

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  // Waits for exit; returns the wait status (as waitpid gives it).
  Result<int> wait();
  Status signal(int sig);
  // Gives up ownership: the process is neither killed nor reaped by this object.
  pid_t release();

 private:
  pid_t pid_ = -1;
  UniqueFd pidfd_;
};

Result<Child> spawn(const SpawnOptions& options);
// Runs argv to completion, capturing stdout; returns the exit code (128+n for a signal).
Result<int> run_capture(const std::vector<std::string>& argv, std::string* out);
// Turns a waitpid status into Docker's exit code: the code, or 128 + signal number.
int exit_code_from_status(int status);

// Children that some code waits for itself are "claimed": the reaper leaves them alone, so it never
// steals an exit status.  fork_claimed() forks with the lock that the reaper takes held, so a child
// that dies at once is still claimed when the reaper sees it; unclaim_child() after waitpid().
// spawn() and Child do both.  Thread-safe.
pid_t fork_claimed();
void unclaim_child(pid_t pid);
// Starts a thread that reaps every zombie child nobody claimed: a subreaper's (berthd's)
// re-parented orphans, such as detached shims.  Call once, in a process that forks only through
// fork_claimed()/spawn() or waits for nothing it forks.
void start_reaper();

// The directory of the running binary (from /proc/self/exe), where Berth's binaries find each
// other; "." when it cannot be read.
std::string self_executable_dir();

}  // namespace berth
