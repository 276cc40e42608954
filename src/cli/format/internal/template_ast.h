// The parse tree of cli/template.h, shared by its parser and its executor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/format/template.h"

namespace berth::cli::internal {

struct Pipeline;

// One operand: .A.B, $x.A, "str", 3, true, nil, a function name, or (pipeline).A
struct Operand {
  enum Kind { kDot, kField, kVariable, kLiteral, kIdent, kPipe } kind = kDot;
  std::string name;                 // variable ("$x") or function name
  std::vector<std::string> fields;  // the field chain after it
  OrderedJson literal;
  std::shared_ptr<Pipeline> pipe;
  size_t pos = 0;    // byte offset in the template, for Go's "line:col" in errors
  std::string text;  // as written, for "at <.Foo>"
};

struct Command {
  std::vector<Operand> args;
};

struct Pipeline {
  std::vector<std::string> decl;  // "$x" or "$i", "$v"
  bool assign = false;            // "$x = ..." rather than ":="
  std::vector<Command> cmds;
};

struct TemplateNode {
  enum Kind { kList, kText, kAction, kIf, kRange, kWith, kBreak, kContinue } kind = kList;
  std::string text;
  Pipeline pipe;
  std::vector<TemplateNode> list;
  std::vector<TemplateNode> else_list;
  size_t pos = 0;
};

// Go's "line:col" for a byte offset.
std::string template_position(const std::string& source, size_t pos);

}  // namespace berth::cli::internal

namespace berth::cli::internal {

// fmt's %v of a value decoded from JSON: "<no value>" for a missing/null top-level value,
// "[a b]" for arrays, "map[k:v]" (sorted keys) for objects.
std::string go_print(const OrderedJson& v, bool top = true);
// text/template's truth: false, 0, "", [], {}, null are false.
bool go_truth(const OrderedJson& v);
// docker's json function: compact, no HTML escaping, '@' keys of the top object hidden.
std::string go_json(const OrderedJson& v);
// Calls a builtin or docker function other than and/or (which the executor short-circuits).
// *found is false when `name` is no function.
Result<OrderedJson> call_template_function(const std::string& name,
                                           const std::vector<OrderedJson>& args, bool header,
                                           bool* found);

}  // namespace berth::cli::internal
