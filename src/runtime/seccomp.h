// Seccomp profiles for the daemon: Docker's default profile (compiled in, Docker's own format
// with includes/excludes) and its conversion to the OCI `linux.seccomp` a container gets.  The
// runtime itself only reads `linux.seccomp` from config.json (security/seccomp.cpp).
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "oci/spec.h"

namespace berth::runtime {

// The JSON text of Docker's default profile (src/runtime/seccomp/default.json).
std::string_view docker_default_seccomp_profile();

// Converts a Docker-format profile (archMap, syscalls with includes/excludes on caps, arches and
// minKernel) to linux.seccomp for a process whose bounding set is `capabilities`, on this
// machine's architecture and kernel, as dockerd does before handing the spec to the runtime.
Result<oci::Seccomp> seccomp_from_docker_profile(std::string_view profile,
                                                 const std::vector<std::string>& capabilities);

}  // namespace berth::runtime
