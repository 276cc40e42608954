// Loading a Compose project: which files, which directory, which name, which environment, and
// the resolved model (interpolated, validated, merged, extended, included, filtered by profile,
// normalised).  `load_project` is the only entry point; it touches the filesystem (the compose
// files, .env, env_file, extends and include targets) and nothing else: no daemon.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "compose/node.h"

namespace berth::compose {

struct LoadOptions {
  std::vector<std::string> files;             // -f, in order; "-" is stdin_text
  std::string project_directory;              // --project-directory
  std::string project_name;                   // -p
  std::vector<std::string> env_files;         // --env-file (replace <project dir>/.env)
  std::vector<std::string> profiles;          // --profile (else COMPOSE_PROFILES)
  std::string working_dir;                    // where lookup starts; "" = the current directory
  std::map<std::string, std::string> os_env;  // the process environment
  std::string stdin_text;                     // the document read for "-f -"
  bool interpolate = true;                    // false: `config --no-interpolate`
  std::vector<std::string> include_chain;     // files including this one (cycle check)
};

struct Project {
  std::string name;
  std::string working_dir;                // the project directory, absolute
  std::vector<std::string> config_files;  // absolute paths ("-" for stdin)
  // {name, services, networks, volumes, secrets, configs, x-...}, normalised: long port and
  // volume syntax, environment and labels as maps, depends_on with conditions, command as a
  // list, relative paths made absolute, resource names (`<project>_<key>`) filled in.
  Node model;
  std::map<std::string, std::string> environment;  // what interpolation saw: .env then the OS
  std::vector<std::string> warnings;               // to print on stderr, as Compose does
  std::vector<std::string> profiles;               // every profile a service names, sorted
  std::vector<std::string> disabled_services;      // left out by profiles

  const Node& services() const;
  std::vector<std::string> service_names() const;  // sorted
};

Result<Project> load_project(const LoadOptions& options);

// Compose's project name rules: lower case, only [a-z0-9_-], starting with a letter or digit.
std::string normalize_project_name(const std::string& name);
// "" when valid, else the error message Compose gives for an explicit -p / name.
std::string check_project_name(const std::string& name);

// The compose file found from `dir` upwards (compose.yaml, compose.yml, docker-compose.yaml,
// docker-compose.yml), plus its override file when one sits next to it; empty when none.
std::vector<std::string> find_default_files(const std::string& dir);

}  // namespace berth::compose
