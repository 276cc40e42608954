// The berth commands: one file each, each parsing its flags and making Engine API calls.
// Every function returns the process exit code, docker's (0, 1, 125 for run/create failures,
// or the container's status).
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"

namespace berth::cli {

using Args = std::vector<std::string>;

int cmd_run(Context& ctx, const Args& args);
int cmd_create(Context& ctx, const Args& args);
int cmd_start(Context& ctx, const Args& args);
int cmd_ps(Context& ctx, const Args& args);
int cmd_logs(Context& ctx, const Args& args);
int cmd_stop(Context& ctx, const Args& args);
int cmd_kill(Context& ctx, const Args& args);
int cmd_rm(Context& ctx, const Args& args);
int cmd_wait(Context& ctx, const Args& args);
// Containers (issue 5): one file each, named after the command.
int cmd_restart(Context& ctx, const Args& args);
int cmd_pause(Context& ctx, const Args& args);
int cmd_unpause(Context& ctx, const Args& args);
int cmd_rename(Context& ctx, const Args& args);
int cmd_update(Context& ctx, const Args& args);
int cmd_attach(Context& ctx, const Args& args);
int cmd_exec(Context& ctx, const Args& args);
int cmd_top(Context& ctx, const Args& args);
int cmd_stats(Context& ctx, const Args& args);
int cmd_port(Context& ctx, const Args& args);
int cmd_diff(Context& ctx, const Args& args);
int cmd_export(Context& ctx, const Args& args);
int cmd_cp(Context& ctx, const Args& args);
int cmd_commit(Context& ctx, const Args& args);
int cmd_build(Context& ctx, const Args& args);
int cmd_builder(Context& ctx, const Args& args);
int cmd_events(Context& ctx, const Args& args);
int cmd_container_prune(Context& ctx, const Args& args);
int cmd_images(Context& ctx, const Args& args);
int cmd_load(Context& ctx, const Args& args);
int cmd_save(Context& ctx, const Args& args);
int cmd_inspect(Context& ctx, const Args& args);
int cmd_version(Context& ctx, const Args& args);
int cmd_info(Context& ctx, const Args& args);
int cmd_pull(Context& ctx, const Args& args);
int cmd_push(Context& ctx, const Args& args);
int cmd_tag(Context& ctx, const Args& args);
int cmd_rmi(Context& ctx, const Args& args);
int cmd_login(Context& ctx, const Args& args);
int cmd_logout(Context& ctx, const Args& args);
int cmd_image_history(Context& ctx, const Args& args);
int cmd_image_prune(Context& ctx, const Args& args);
// `system df`
int cmd_system(Context& ctx, const Args& args);
// `image bootstrap|ls|load|save|inspect`
int cmd_image(Context& ctx, const Args& args);
// `network create|ls|inspect|rm|prune|connect|disconnect`
int cmd_network(Context& ctx, const Args& args);
// `volume create|ls|inspect|rm|prune`
int cmd_volume(Context& ctx, const Args& args);
// `compose config|up|down|ps|logs|...` (src/cli/compose/)
int cmd_compose(Context& ctx, const Args& args);
// Run as the docker CLI's compose plugin (argv[0] is docker-compose, or the first argument is
// docker-cli-plugin-metadata): src/cli/compose/plugin.cpp.
bool is_compose_plugin_invocation(int argc, char** argv);
int run_compose_plugin(int argc, char** argv);

// The whole CLI: global flags, then the command.
int run_berth(int argc, char** argv);

}  // namespace berth::cli
