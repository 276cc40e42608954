// POST /containers/create for run and create, with docker's messages on failure.
#pragma once

#include <string>

#include "cli/container/container_config.h"
#include "cli/context.h"

namespace berth::cli {

// Returns -1 and sets *id on success, else the exit code after printing the error.
int create_container(Context& ctx, const ContainerSpec& spec, const std::string& command,
                     std::string* id);

}  // namespace berth::cli
