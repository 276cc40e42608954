// Helpers shared by the registry client's files.  Internal to src/image/registry.
#pragma once

#include <string>

namespace berth::image::registry::internal {

// "token" (or "access_token") of a token server's reply; "" when absent.
std::string token_from_reply(const std::string& body);
// Docker's wording of a registry error body: "manifest unknown: manifest unknown"; "" if none.
std::string error_from_body(const std::string& body);

}  // namespace berth::image::registry::internal
