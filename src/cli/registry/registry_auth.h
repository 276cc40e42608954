// Registry credentials as Docker's CLI keeps them: ~/.docker/config.json (or $DOCKER_CONFIG)
// "auths" → {"<server>": {"auth": base64("user:pass")}}, and the X-Registry-Auth header the
// daemon reads for pull and push.
#pragma once

#include <string>

#include "base/error.h"
#include "base/json.h"

namespace berth::cli {

inline constexpr const char* kDockerHubServer = "https://index.docker.io/v1/";

// The config.json key for an image reference's registry ("docker.io" → Docker Hub's key).
std::string registry_server_of(const std::string& image_ref);
// The key a login/logout SERVER argument stands for ("" → Docker Hub).
std::string normalize_server(const std::string& server);
std::string config_path();
Result<Json> read_config();
Status write_config(const Json& config);
// X-Registry-Auth for `server` from the stored credentials; "" when none are stored.
std::string registry_auth_header(const std::string& server);
std::string base64_encode(const std::string& data);

}  // namespace berth::cli
