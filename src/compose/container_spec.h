// One service replica as Docker Compose v2 creates it: the container's name, its labels
// (com.docker.compose.*), the config hash that convergence compares, and the create body.
#pragma once

#include <map>
#include <string>

#include "base/error.h"
#include "compose/project.h"
#include "model/container.h"

namespace berth::compose {

inline constexpr const char* kLabelProject = "com.docker.compose.project";
inline constexpr const char* kLabelService = "com.docker.compose.service";
inline constexpr const char* kLabelNumber = "com.docker.compose.container-number";
inline constexpr const char* kLabelOneoff = "com.docker.compose.oneoff";
inline constexpr const char* kLabelConfigHash = "com.docker.compose.config-hash";
inline constexpr const char* kLabelWorkingDir = "com.docker.compose.project.working_dir";
inline constexpr const char* kLabelConfigFiles = "com.docker.compose.project.config_files";
inline constexpr const char* kLabelEnvFile = "com.docker.compose.project.environment_file";
inline constexpr const char* kLabelDependsOn = "com.docker.compose.depends_on";
inline constexpr const char* kLabelVersion = "com.docker.compose.version";
inline constexpr const char* kLabelImage = "com.docker.compose.image";
inline constexpr const char* kLabelNetwork = "com.docker.compose.network";
inline constexpr const char* kLabelVolume = "com.docker.compose.volume";
inline constexpr const char* kComposeVersion = "2.24.6";

// Go's time.ParseDuration ("1m30s", "500ms", "2h") in nanoseconds.
Result<int64_t> parse_duration(const std::string& text, const std::string& path);
// "64m", "1g", "512k", 1024 -> bytes (go-units RAMInBytes).
Result<int64_t> parse_bytes(const std::string& text, const std::string& path);

// sha256 of the service's JSON without the keys Compose leaves out of the hash (build,
// pull_policy, scale, deploy.replicas, depends_on, profiles): changing only those does not
// recreate a container.
std::string config_hash(const Node& service);

// "<project>-<service>-<n>", or container_name.
std::string container_name(const Project& project, const std::string& service, int number);
// The image a service runs: `image`, else "<project>-<service>" (what build tags).
std::string service_image(const Project& project, const std::string& service);
// Replicas wanted: deploy.replicas, else scale, else 1.
int service_replicas(const Node& service);

// The create body.  `containers_by_service` maps a service name to one of its container ids,
// for `network_mode: service:x` and volumes_from.
Result<model::ContainerCreateRequest> container_request(
    const Project& project, const std::string& service, int number,
    const std::map<std::string, std::string>& containers_by_service);

}  // namespace berth::compose
