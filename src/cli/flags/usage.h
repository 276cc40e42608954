// docker's (cobra's) argument-count errors, as docker 28 prints them:
//   docker: 'docker stop' requires at least 1 argument
//
//   Usage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]
//
//   See 'docker stop --help' for more information
// and exit status 1.
#pragma once

#include <string>

namespace berth::cli {

// `requirement` is "requires at least 1 argument", "requires exactly 1 argument", ...
int args_error(const std::string& command, const std::string& usage,
               const std::string& requirement);
// docker's yes/no prompt on stdout; true for "y"/"Y" (and "yes").
bool confirm(const std::string& question);

}  // namespace berth::cli
