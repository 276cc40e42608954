// The container's init between clone and exec, and the sync protocol with its parent.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "oci/spec.h"

namespace berth::runtime {

// One datagram on the SOCK_SEQPACKET sync socket.
struct SyncMsg {
  // kGo carries init's host pid in `code`; kMounted asks the parent to run the createRuntime
  // hooks (answered by kGo); kWarning is a message to print, not an error.
  enum Type : int { kGo = 1, kReady = 2, kError = 3, kMounted = 4 } type;
  int sys_errno;
  int code;
  char message[2048];
};
// `value` rides in SyncMsg::code; `pass_fd` (>= 0) goes along with SCM_RIGHTS.
Status send_sync(int fd, SyncMsg::Type type, const Error* error = nullptr, int value = 0,
                 int pass_fd = -1);
// Unavailable when the peer closed without a message; a passed fd lands in *received_fd.
Result<SyncMsg> recv_sync(int fd, int* received_fd = nullptr);

class SeccompFilter;

struct InitConfig {
  const oci::Spec* spec = nullptr;
  std::string rootfs;  // absolute host path
  int sync_fd = -1;
  int fifo_fd = -1;  // O_PATH fd of exec.fifo
  int stdio[3] = {-1, -1, -1};
  int console_socket = -1;
  std::vector<std::pair<int, int>> join_ns;  // (fd, CLONE_NEW*) joined right after the go
  bool new_cgroupns = false;                 // unshare after the parent moved us into the cgroup
  bool user_ns = false;
  SeccompFilter* seccomp = nullptr;
  bool hooks_sync = false;  // stop after the mounts for the parent's createRuntime hooks
  std::string id, bundle;   // for the hooks' state
};

// The last steps before execve that create and exec share: labels, seccomp (when it needs
// CAP_SYS_ADMIN, i.e. without no_new_privs), user and capabilities, no_new_privs, cwd, umask.
// Returns the executable's path, resolved in the container.
Result<std::string> finalize_process(const oci::Process& p, SeccompFilter* seccomp);
// Resets signals, loads a no_new_privs seccomp filter, execs.  Never returns.
[[noreturn]] void exec_process(const oci::Process& p, const std::string& exe,
                               SeccompFilter* seccomp);
// Opens a pty in the container's /dev/ptmx, sends the master over console_socket, makes the
// slave the controlling terminal and stdio.
Status setup_console(int console_socket, const oci::Process& p);
Status apply_rlimits(const oci::Process& p);

// Never returns: execs process.args or reports an error over sync_fd and exits.
[[noreturn]] void run_init(const InitConfig& config);

// Drops to process.capabilities (bounding, then after setuid permitted/effective/inheritable,
// then ambient).
Status drop_bounding(const oci::Capabilities& caps);
Status apply_capabilities(const oci::Capabilities& caps);

// Resolves args[0] against PATH from env (inside the container root, after pivot_root).
Result<std::string> find_executable(const std::string& name, const std::vector<std::string>& env);

}  // namespace berth::runtime
