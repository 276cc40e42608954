// The OCI runtime library: creates, starts, signals and deletes containers described by an OCI
// bundle.  berth-runtime's verbs and berth-shim call it in process.
//
// State: one directory per container under `root` (`<root>/<id>/`: state.json, exec.fifo while
// created-not-started).  The container's init is a CHILD OF THE CALLER of create(), so the caller
// (the shim, or `berth-runtime run`) can waitpid() it; its status is derived at run time: no live
// init -> stopped, exec.fifo present -> created, else running.
//
// Thread safety: create() clones the caller (a fork-like clone(2)) and runs C++ in the child, so
// REQUIRES: the caller is single-threaded (berth-shim and berth-runtime are).
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"
#include "oci/spec.h"

namespace berth::runtime {

inline constexpr const char* kDefaultRoot = "/run/berth-runtime";
inline constexpr const char* kDefaultCgroupRoot = "/sys/fs/cgroup";

struct CreateOptions {
  std::string root = kDefaultRoot;  // state root (runc --root)
  std::string id;
  std::string bundle;  // dir with config.json; root.path is relative to it
  // The container process's stdio; -1 inherits the caller's 0/1/2.  Ignored for a terminal.
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
  // process.terminal: a connected unix socket; init opens a pty inside the container and sends
  // the master over it with SCM_RIGHTS (runc's --console-socket protocol).
  int console_socket = -1;
  std::string pid_file;  // written with the init pid when non-empty
  std::string cgroup_root = kDefaultCgroupRoot;
};

// Creates the container and returns its init's pid; init waits in exec.fifo until start().
// On failure nothing is left: no process, no cgroup, no state dir.
Result<pid_t> create(const CreateOptions& options);

// Releases init from exec.fifo so it execs process.args.  FailedPrecondition-like Conflict when
// the container is not in the created state.
Status start(const std::string& root, const std::string& id);

// The container's OCI state (status derived from the live process).
Result<oci::State> state(const std::string& root, const std::string& id);

// Signals init, or every process in the container's cgroup when `all`.
Status kill(const std::string& root, const std::string& id, int sig, bool all,
            const std::string& cgroup_root = kDefaultCgroupRoot);

// Deletes a stopped container (cgroup and state dir).  `force` SIGKILLs a live one first.
// A container whose state dir is gone is NotFound.
Status remove(const std::string& root, const std::string& id, bool force,
              const std::string& cgroup_root = kDefaultCgroupRoot);

// True when the container's cgroup recorded an OOM kill (memory.events / memory.oom_control).
bool oom_killed(const std::string& root, const std::string& id,
                const std::string& cgroup_root = kDefaultCgroupRoot);

// Parses "SIGKILL", "KILL", "9"; 0 when unknown.
int parse_signal(const std::string& text);

}  // namespace berth::runtime
