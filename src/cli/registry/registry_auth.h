// Registry credentials as Docker's CLI keeps them: ~/.docker/config.json (or $DOCKER_CONFIG)
// "auths" → {"<server>": {"auth": base64("user:pass")}}, and the X-Registry-Auth header the
// daemon reads for pull and push.
#pragma once

#include <optional>
#include <string>

#include "base/error.h"
#include "base/json.h"
#include "model/system.h"

namespace berth::cli {

inline constexpr const char* kDockerHubServer = "https://index.docker.io/v1/";

// The config.json key for an image reference's registry ("docker.io" → Docker Hub's key).
std::string registry_server_of(const std::string& image_ref);
// The key a login/logout SERVER argument stands for ("" → Docker Hub).
std::string normalize_server(const std::string& server);
std::string config_path();
Result<Json> read_config();
Status write_config(const Json& config);
// The credentials `config` keeps for `server` (its "auths" entry, the Engine API's AuthConfig
// shape), if any.
std::optional<model::AuthConfig> stored_auth(const Json& config, const std::string& server);
// Replaces the entry of `server`.
void set_stored_auth(Json& config, const std::string& server, const model::AuthConfig& auth);
// Removes the entry of `server`; false when there was none.
bool erase_stored_auth(Json& config, const std::string& server);
// X-Registry-Auth for `server` from the stored credentials; "" when none are stored.
std::string registry_auth_header(const std::string& server);
std::string base64_encode(const std::string& data);

}  // namespace berth::cli
