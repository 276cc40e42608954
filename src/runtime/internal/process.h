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
  enum Type : int { kGo = 1, kReady = 2, kError = 3 } type;
  int sys_errno;
  int code;
  char message[2048];
};
Status send_sync(int fd, SyncMsg::Type type, const Error* error = nullptr);
// NotFound-free: returns Unavailable when the peer closed without a message.
Result<SyncMsg> recv_sync(int fd);

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
};

// Never returns: execs process.args or reports an error over sync_fd and exits.
[[noreturn]] void run_init(const InitConfig& config);

// Drops to process.capabilities (bounding, then after setuid permitted/effective/inheritable,
// then ambient).
Status drop_bounding(const oci::Capabilities& caps);
Status apply_capabilities(const oci::Capabilities& caps);
int capability_number(const std::string& name);  // -1 when unknown

// Resolves args[0] against PATH from env (inside the container root, after pivot_root).
Result<std::string> find_executable(const std::string& name, const std::vector<std::string>& env);

}  // namespace berth::runtime
