// Security steps shared by init (create) and exec: seccomp, LSM labels, hooks, the sealed-memfd
// re-exec.  Runs in the runtime process or in the child between clone and exec as noted.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "oci/spec.h"

namespace berth::runtime {

// A compiled seccomp filter: built in the parent so a bad profile fails create() early, loaded
// in the child as close to execve as possible.  libseccomp is told not to set no_new_privs.
class SeccompFilter {
 public:
  static Result<std::unique_ptr<SeccompFilter>> build(const oci::Seccomp& seccomp);
  ~SeccompFilter();
  SeccompFilter(const SeccompFilter&) = delete;
  SeccompFilter& operator=(const SeccompFilter&) = delete;
  Status load();

 private:
  explicit SeccompFilter(void* ctx) : ctx_(ctx) {}
  void* ctx_;
};

// AppArmor profile / SELinux label for the next execve, written to /proc/thread-self/attr.
// REQUIRES: lsm_supported() said yes (the parent clears labels the host cannot apply).
Status apply_lsm_labels(const oci::Process& process);
// Clears labels the host has no LSM for and returns a warning per cleared label.
std::vector<std::string> drop_unsupported_labels(oci::Process* process);

// Runs each hook with the state JSON on stdin, its env and a SIGKILL on timeout; the first
// failure is returned with the hook's path and `phase` ("createRuntime") as context.
Status run_hooks(const std::vector<oci::Hook>& hooks, const oci::State& state, const char* phase);

}  // namespace berth::runtime
