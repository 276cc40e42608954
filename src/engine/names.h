// Docker-style random container names ("eager_turing").
#pragma once

#include <string>

namespace berth::engine {

std::string random_container_name();
// Docker's rule for --name: [a-zA-Z0-9][a-zA-Z0-9_.-]+
bool valid_container_name(const std::string& name);

}  // namespace berth::engine
