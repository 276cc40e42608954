// The shape of stop, kill, rm, wait: one request per named container, docker's output (the name
// as given) and errors, exit 1 when any failed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/context.h"

namespace berth::cli {

// `request(name)` returns the method and target for one container; `on_success` prints.
struct PerContainer {
  std::string method;
  std::function<std::string(const std::string& escaped_name)> target;
  std::function<void(const std::string& name, const api::ClientResponse&)> on_success;
};
int for_each_container(Context& ctx, const std::vector<std::string>& names, const PerContainer& op);

}  // namespace berth::cli
