// The Compose tree as JSON: `config --format json`, the config-hash input, and reading the
// JSON schema.  Written without a JSON tree so only node_json.cpp includes nlohmann.
#pragma once

#include <string>

#include "base/error.h"
#include "compose/node.h"

namespace berth::compose {

// `indent` < 0: compact, as the config hash and labels want it; else pretty with that indent.
std::string to_json_text(const Node& node, int indent = -1);
Result<Node> from_json_text(const std::string& text, const std::string& what);

}  // namespace berth::compose
