// Go's text/template as docker's --format uses it, over JSON values: {{.Field.Sub}}, variables
// ($, $x := ..., $i, $v := range), pipelines with |, parenthesised pipelines, if/else if/else,
// range (over arrays and maps, with else, break, continue), with, {{- -}} trimming, comments,
// Go's builtins (and, or, not, eq, ne, lt, le, gt, ge, len, index, print, printf, println) and
// docker's (json, join, split, lower, upper, title, pad, truncate).
//
// Values are JSON that keeps the daemon's key order.  Docker's computed fields (ps rows) are
// plain keys; a key starting with '@' is hidden from {{json .}} and is what a method call with
// arguments reads, so `{{.Label "k"}}` indexes the row's "@Label" map.  A parsed Template is
// immutable; executing it from several threads at once is safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"

namespace berth::cli {

using OrderedJson = nlohmann::ordered_json;

namespace internal {
struct TemplateNode;
}

struct TemplateOptions {
  // Non-empty: the data's root is a Go struct of this type (e.g. "*formatter.ContainerContext"),
  // so a missing field is Go's "can't evaluate field X in type T" error, not "<no value>".
  std::string strict_type;
  // docker's HeaderFunctions: json, lower, upper, ... return their argument unchanged, and a
  // missing field is "" (the header context is a map[string]string).
  bool header = false;
};

class Template {
 public:
  // Errors are Go's: `template: :1: unexpected "}" in operand`.
  static Result<Template> parse(const std::string& text);
  Result<std::string> execute(const OrderedJson& data, const TemplateOptions& options = {}) const;

 private:
  std::shared_ptr<const internal::TemplateNode> root_;
};

Result<OrderedJson> parse_ordered_json(const std::string& text);
// Go's json.MarshalIndent(v, "", "    ").
std::string dump_indented(const OrderedJson& j);
// Parse and execute in one step.
Result<std::string> render_template(const std::string& format, const OrderedJson& data,
                                    const TemplateOptions& options = {});

}  // namespace berth::cli
