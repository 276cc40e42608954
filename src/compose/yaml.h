// YAML in and out.  The one file that calls yaml-cpp (which throws): everything it raises comes
// back as an Error here.  Scalars are resolved as YAML 1.2's core schema does (as go-yaml v3, and
// so Docker Compose, reads them): `8080:80` stays a string, `yes` stays a string.  Anchors and
// aliases become copies; merge keys (`<<: *base`) are applied, explicit keys winning.
#pragma once

#include <string>

#include "base/error.h"
#include "compose/node.h"

namespace berth::compose {

// Parses one YAML (or JSON) document; `what` names it in errors ("compose.yaml: yaml: line 3:
// ...").  An empty document is an empty map.
Result<Node> parse_yaml(const std::string& text, const std::string& what);

// Writes `node` as block YAML, 2-space indented, strings quoted where a plain scalar would be
// read back as another type.
std::string emit_yaml(const Node& node);

}  // namespace berth::compose
