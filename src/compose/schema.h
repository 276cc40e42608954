// A JSON-schema validator for the keywords compose-spec.json uses (type, properties,
// patternProperties, additionalProperties, required, enum, items, oneOf/anyOf/allOf/not, $ref
// into #/definitions, pattern, minimum/maximum, minItems, uniqueItems), over the Compose tree.
// Errors name the key as users write it: "services.web.ports[0] must be a string or number".
// Interpolated strings pass for numbers and booleans when they parse as such, as compose-go
// casts them before validating.  Immutable after construction; safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <regex>
#include <string>

#include "base/error.h"
#include "compose/node.h"

namespace berth::compose {

class Schema {
 public:
  explicit Schema(Node root);
  // The Compose Specification's schema, built into the library (src/compose/schema/).
  static const Schema& compose_spec();

  // kInvalidArgument with the first problem found, its path first.
  Status validate(const Node& doc) const;

 private:
  struct Problem {
    std::string path;
    std::string message;  // follows the path: "must be a string"
    int depth = 0;        // how far into the document: deeper problems explain better
  };
  bool check(const Node& value, const Node& schema, const std::string& path,
             Problem* problem) const;
  bool check_type(const Node& value, const Node& type) const;
  const Node* resolve(const Node& schema) const;
  const std::regex& regex(const std::string& pattern) const;

  Node root_;
  mutable std::map<std::string, std::unique_ptr<std::regex>> regex_cache_;
};

}  // namespace berth::compose
