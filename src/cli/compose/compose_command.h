// What the `berth compose` subcommands share: the global compose flags (-f, -p,
// --project-directory, --env-file, --profile) turned into LoadOptions, loading the project with
// Compose's warnings on stderr, and the connection to the daemon.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "compose/project.h"

namespace berth::cli {

struct ComposeCommand {
  Context& ctx;
  compose::LoadOptions load;

  // Loads the project; prints the error (and warnings) the way docker compose does.
  Result<compose::Project> project();
};

int compose_config(ComposeCommand& cc, const Args& args);
int compose_up(ComposeCommand& cc, const Args& args);
int compose_create(ComposeCommand& cc, const Args& args);
int compose_down(ComposeCommand& cc, const Args& args);
int compose_ps(ComposeCommand& cc, const Args& args);
int compose_logs(ComposeCommand& cc, const Args& args);
// start, stop, restart, kill, rm, pause, unpause: the same shape, in lifecycle.cpp.
int compose_run(ComposeCommand& cc, const Args& args);
int compose_exec(ComposeCommand& cc, const Args& args);
int compose_ls(ComposeCommand& cc, const Args& args);
int compose_images(ComposeCommand& cc, const Args& args);
int compose_port(ComposeCommand& cc, const Args& args);
int compose_top(ComposeCommand& cc, const Args& args);
int compose_version(const Args& args);
// "v2.24.6+berth.0.1.0": the Compose version Berth follows, and Berth's own.
std::string compose_version();
int compose_lifecycle(ComposeCommand& cc, const std::string& verb, const Args& args);

}  // namespace berth::cli
