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
#include <vector>

#include "base/error.h"
#include "oci/spec.h"
#include "runtime/cgroups/cgroup.h"

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
// Runs the poststart hooks after.
Status start(const std::string& root, const std::string& id);

// The container's OCI state (status derived from the live process).
Result<oci::State> state(const std::string& root, const std::string& id,
                         const std::string& cgroup_root = kDefaultCgroupRoot);

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

// Runs one more process in a running container (runc exec): joins init's namespaces and
// cgroup, applies the container's seccomp profile and the process's user, capabilities, rlimits,
// labels.  The process is a child of the caller; returns its pid once it exec'd (or the error
// from before exec).  REQUIRES: single-threaded caller.
struct ExecOptions {
  std::string root = kDefaultRoot;
  std::string id;
  oci::Process process;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;  // -1 inherits
  int console_socket = -1;                            // for process.terminal
  std::string pid_file;
  std::string cgroup_root = kDefaultCgroupRoot;
};
Result<pid_t> exec(const ExecOptions& options);

// Freezes / thaws every process of the container (freezer cgroup); state() then says paused.
Status pause(const std::string& root, const std::string& id,
             const std::string& cgroup_root = kDefaultCgroupRoot);
Status resume(const std::string& root, const std::string& id,
              const std::string& cgroup_root = kDefaultCgroupRoot);
// The container's processes (host pids).
Result<std::vector<pid_t>> processes(const std::string& root, const std::string& id,
                                     const std::string& cgroup_root = kDefaultCgroupRoot);
// Resource usage in one call (for `docker stats`).
Result<CgroupStats> stats(const std::string& root, const std::string& id,
                          const std::string& cgroup_root = kDefaultCgroupRoot);
// What this runtime supports, as runc's `features` JSON.
std::string features_json();

// CVE-2019-5736: re-executes the running binary from a sealed memfd copy (unless it already
// runs from one), so a container process that reaches /proc/<pid>/exe of the runtime cannot
// overwrite the host binary.  Returns only on failure to set it up.
Status reexec_from_sealed_memfd(char** argv);
bool running_from_sealed_memfd();

// Parses "SIGKILL", "KILL", "9"; 0 when unknown.
int parse_signal(const std::string& text);

}  // namespace berth::runtime
