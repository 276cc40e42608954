// The flags `run` and `create` share, turned into the body of POST /containers/create.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cli/flags/flags.h"
#include "model/container.h"

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

  model::ContainerCreateRequest body;  // Config + HostConfig + NetworkingConfig
  // Flag values the model's enums do not know (`--restart bogus`, `--mount type=x`,
  // `--cgroupns x`), as {JSON pointer into the body, text}: docker sends them as given and the
  // daemon refuses them in its own words, so create_body_json writes them over the enum.
  std::vector<std::pair<std::string, std::string>> wire_strings;
};

// REQUIRES: flags were parsed non-interspersed: args()[0] is the image, the rest the command.
Result<ContainerSpec> build_container_spec(const Flags& flags, bool run);

// The create body as sent: spec.body encoded once, with spec.wire_strings applied.
std::string create_body_json(const ContainerSpec& spec);

}  // namespace berth::cli
