// Docker's HostConfig as it shapes a container: validation at create time (with dockerd's
// error messages) and its translation into the OCI spec at start (resources, capabilities,
// privileged mode, security options, tmpfs, sysctls, devices, ulimits, the init process).
#pragma once

#include <string>

#include "base/error.h"
#include "base/json.h"
#include "model/container.h"

namespace berth::engine {

// InvalidArgument with Docker's wording for a HostConfig dockerd would refuse.
Status validate_host_config(const model::HostConfig& host_config);

struct HostConfigContext {
  std::string rootfs;     // for --group-add names
  std::string init_path;  // tini-static on the host, bind-mounted for --init
};

// Applies HostConfig to a spec made by build_spec (which already carries Docker's defaults).
// `spec` is the OCI runtime config (config.json), written as JSON (docs/ARCHITECTURE.md).
Status apply_host_config(const model::HostConfig& host_config, const HostConfigContext& context,
                         Json& spec);

// The capabilities the daemon itself holds (CapBnd of /proc/self/status): what --privileged
// grants, so a host whose bounding set lacks some (CAP_SYS_RESOURCE here) still works.
std::vector<std::string> daemon_capabilities();

}  // namespace berth::engine
