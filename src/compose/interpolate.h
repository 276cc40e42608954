// Variable interpolation as Compose does it: `$VAR`, `${VAR}`, `${VAR:-default}`,
// `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`,
// defaults and replacements themselves interpolated, `$$` for a literal `$`.  Values only, never
// keys.  An unset variable without a default is "" plus a warning, as Compose prints it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "compose/node.h"

namespace berth::compose {

// nullopt: the variable is not set (different from set to "").
using Lookup = std::function<std::optional<std::string>(const std::string&)>;

// `path` names the key in errors ("services.web.image").  Warnings are appended.
Result<std::string> interpolate_string(const std::string& text, const Lookup& lookup,
                                       const std::string& path, std::vector<std::string>* warnings);

// Interpolates every string value of the tree in place; interpolated values are marked so that
// the schema accepts "80" for a number, as compose-go casts them.
Status interpolate_tree(Node* node, const Lookup& lookup, const std::string& path,
                        std::vector<std::string>* warnings);

}  // namespace berth::compose
