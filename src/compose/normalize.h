// Normalisation: the one shape every later step reads.  Short syntaxes become long ones (ports,
// volumes, depends_on, build), list-or-map keys become maps, env_file is read into environment,
// command/entrypoint become argument lists, relative paths become absolute, and the top-level
// networks and volumes get their real names (`<project>_<key>`).  `docker compose config`
// prints this shape.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "compose/interpolate.h"
#include "compose/node.h"

namespace berth::compose {

// Splits a command line the way a POSIX shell splits words (quotes, backslashes), as
// compose-go's shellwords does for `command: echo "a b"`.
Result<std::vector<std::string>> shell_split(const std::string& line);

// "./data" against `dir`; "~/x" against $HOME; absolute paths and URLs unchanged.
std::string resolve_path(const std::string& dir, const std::string& path);

// Makes the relative paths of one service absolute (build context, env_file, bind sources,
// extends.file): used when a service comes from another file's directory.
void rebase_service_paths(Node* service, const std::string& dir);

// "8080:80", "127.0.0.1:8000-8001:80-81/udp", 80 -> long-syntax entries.
Result<std::vector<Node>> parse_port(const Node& short_port, const std::string& path);
// "./data:/data:ro", "db:/var/lib/db", "/tmp" -> a long-syntax entry.
Result<Node> parse_volume(const std::string& spec, const std::string& path);

Status normalize_service(const std::string& name, Node* service, const std::string& project_dir,
                         const Lookup& lookup);
// Services, then the top-level resources; puts `name` first.
Status normalize_model(Node* model, const std::string& project_name, const std::string& project_dir,
                       const Lookup& lookup);

}  // namespace berth::compose
