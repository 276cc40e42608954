// The steps of load_project, one file each; internal to the compose library.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "compose/interpolate.h"
#include "compose/node.h"

namespace berth::compose::internal {

// One compose file read, interpolated and validated against the schema: "validating <file>:
// services.web.ports[0] must be ...".  `text` is used when non-null (stdin).
Result<Node> load_file(const std::string& path, const std::string* text, const Lookup& lookup,
                       bool interpolate, std::vector<std::string>* warnings);

// Replaces every service's `extends` by the merge of its base (resolved first, from the same
// document or another file relative to `dir`) and itself.  A cycle is an error.
Status resolve_extends(Node* doc, const std::string& file, const std::string& dir,
                       const Lookup& lookup, bool interpolate, std::vector<std::string>* warnings);

// Loads each `include` entry as its own project (its directory, its .env) and adds its
// resources; a resource defined on both sides is an error.
Status apply_includes(Node* doc, const std::string& dir,
                      const std::map<std::string, std::string>& os_env,
                      std::vector<std::string>* seen_files, std::vector<std::string>* warnings);

// depends_on, networks, volumes, secrets and configs that name nothing defined; cycles.
Status check_references(const Node& model);

}  // namespace berth::compose::internal
