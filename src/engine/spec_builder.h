// Turns a container (Docker's Config and HostConfig) and its image into an OCI runtime spec
// (config.json) the way dockerd's oci_linux.go does: Docker's default mounts, namespaces,
// capabilities, masked and read-only paths, and the container's process.
#pragma once

#include <string>

#include "base/error.h"
#include "base/json.h"
#include "engine/container.h"

namespace berth::engine {

struct SpecPaths {
  std::string rootfs;         // mounted overlay
  std::string container_dir;  // holds hostname, hosts, resolv.conf
  std::string cgroups_path;   // "/berth/<id>"
  std::string init_path;      // tini-static for --init ("" = none available)
};

// REQUIRES: the rootfs is mounted (users and groups are read from it).
Result<Json> build_spec(const Container& c, const SpecPaths& paths);

// The process environment: image env overridden by the container's, plus HOSTNAME, and TERM
// with a tty, as Docker sets them.
std::vector<std::string> merged_env(const Container& c);

}  // namespace berth::engine
