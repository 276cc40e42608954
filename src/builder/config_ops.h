// The metadata instructions (ENV, LABEL, MAINTAINER, EXPOSE, VOLUME, USER, WORKDIR, SHELL,
// STOPSIGNAL, HEALTHCHECK, ONBUILD, CMD, ENTRYPOINT) applied to an image's config
// (model::ImageConfig, the "config" of the image JSON), shared by the builder and
// `docker commit --change`.  Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "builder/dockerfile.h"
#include "builder/expand.h"
#include "model/image.h"

namespace berth::builder {

struct ConfigState {
  model::ImageConfig config;
  bool cmd_set = false;  // CMD given in this stage (ENTRYPOINT keeps it then)
};

// True for the instructions apply_config_instruction handles.
bool is_config_instruction(const std::string& cmd);
// Applies `ins` to `state`; `vars` are the variables its words expand with (ENV, ARG).
Status apply_config_instruction(const Instruction& ins, ConfigState& state, const Vars& vars,
                                char escape);
// `docker commit --change`: each entry one instruction line.
Result<model::ImageConfig> apply_changes(model::ImageConfig config,
                                         const std::vector<std::string>& changes);
// The stage's environment as variables: "K=v" entries of Env.
Vars env_vars(const model::List<std::string>& env);
// Sets K=v in Env, replacing an earlier K.
void set_env(model::List<std::string>& env, const std::string& key, const std::string& value);
// Go's time.ParseDuration, in nanoseconds.
Result<int64_t> parse_go_duration(const std::string& text);

}  // namespace berth::builder
