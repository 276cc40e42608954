// The flags `run` and `create` share, turned into the body of POST /containers/create.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "cli/flags/flags.h"

namespace berth::cli {

void add_container_flags(Flags& flags, bool run);

struct ContainerSpec {
  std::string name;
  std::string image;
  bool tty = false;
  bool interactive = false;
  bool detach = false;
  bool auto_remove = false;
  std::string detach_keys;       // bytes; empty: the default ctrl-p ctrl-q
  std::string detach_keys_spec;  // as given, for the attach query's detachKeys

  Json body;  // Config + HostConfig + NetworkingConfig
};

// REQUIRES: flags were parsed non-interspersed: args()[0] is the image, the rest the command.
Result<ContainerSpec> build_container_spec(const Flags& flags, bool run);

}  // namespace berth::cli
