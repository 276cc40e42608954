// The metadata instructions (ENV, LABEL, MAINTAINER, EXPOSE, VOLUME, USER, WORKDIR, SHELL,
// STOPSIGNAL, HEALTHCHECK, ONBUILD, CMD, ENTRYPOINT) applied to Docker's container Config JSON,
// shared by the builder and `docker commit --change`.  Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "builder/dockerfile.h"
#include "builder/expand.h"

namespace berth::builder {

struct ConfigState {
  Json config = Json::object();  // Docker's container Config
  bool cmd_set = false;          // CMD given in this stage (ENTRYPOINT keeps it then)
};

// True for the instructions apply_config_instruction handles.
bool is_config_instruction(const std::string& cmd);
// Applies `ins` to `state`; `vars` are the variables its words expand with (ENV, ARG).
Status apply_config_instruction(const Instruction& ins, ConfigState& state, const Vars& vars,
                                char escape);
// `docker commit --change`: each entry one instruction line.
Result<Json> apply_changes(Json config, const std::vector<std::string>& changes);
// The stage's environment as variables: "K=v" entries of Config.Env.
Vars env_vars(const Json& config);
// Sets K=v in Config.Env, replacing an earlier K.
void set_env(Json& config, const std::string& key, const std::string& value);
// Go's time.ParseDuration, in nanoseconds.
Result<int64_t> parse_go_duration(const std::string& text);

}  // namespace berth::builder
