// The executor of cli/template.h: walks the tree over a JSON value, with Go's scoping of
// variables, truth, range order (arrays in order, maps by sorted key) and error texts.
#include <algorithm>

#include "cli/format/internal/template_ast.h"

namespace berth::cli {

using internal::Command;
using internal::Operand;
using internal::Pipeline;
using internal::TemplateNode;

namespace {

enum class Flow { kNormal, kBreak, kContinue };

class Executor {
 public:
  Executor(const std::string& src, const OrderedJson& root, const TemplateOptions& options)
      : src_(src), root_(root), options_(options) {
    vars_.emplace_back("$", root);
  }

  Result<Flow> walk(const OrderedJson& dot, const std::vector<TemplateNode>& list) {
    for (const TemplateNode& n : list) {
      BERTH_TRY_ASSIGN(Flow flow, walk_node(dot, n));
      if (flow != Flow::kNormal) return flow;
    }
    return Flow::kNormal;
  }

  std::string out;

 private:
  Error fail(const Operand& op, const std::string& message) const {
    return make_error(Code::kInvalidArgument,
                      "template: :" + internal::template_position(src_, op.pos) +
                          ": executing \"\" at <" + op.text + ">: " + message);
  }

  Error fail_line(size_t pos, const std::string& message) const {
    std::string lc = internal::template_position(src_, pos);
    return make_error(Code::kInvalidArgument,
                      "template: :" + lc.substr(0, lc.find(':')) + ": " + message);
  }

  Result<Flow> walk_node(const OrderedJson& dot, const TemplateNode& n) {
    switch (n.kind) {
      case TemplateNode::kText:
        out += n.text;
        return Flow::kNormal;
      case TemplateNode::kAction: {
        BERTH_TRY_ASSIGN(OrderedJson v, eval_pipeline(dot, n.pipe));
        if (n.pipe.decl.empty()) out += internal::go_print(v);
        return Flow::kNormal;
      }
      case TemplateNode::kBreak:
        return Flow::kBreak;
      case TemplateNode::kContinue:
        return Flow::kContinue;
      case TemplateNode::kIf:
      case TemplateNode::kWith: {
        size_t mark = vars_.size();
        BERTH_TRY_ASSIGN(OrderedJson v, eval_pipeline(dot, n.pipe));
        Result<Flow> flow = Flow::kNormal;
        if (internal::go_truth(v)) {
          flow = walk(n.kind == TemplateNode::kWith ? v : dot, n.list);
        } else {
          flow = walk(dot, n.else_list);
        }
        vars_.resize(mark);
        return flow;
      }
      case TemplateNode::kRange:
        return walk_range(dot, n);
      case TemplateNode::kList:
        return walk(dot, n.list);
    }
    return Flow::kNormal;
  }

  Result<Flow> walk_range(const OrderedJson& dot, const TemplateNode& n) {
    size_t mark = vars_.size();
    Pipeline pipe = n.pipe;
    std::vector<std::string> decl = pipe.decl;
    pipe.decl.clear();
    BERTH_TRY_ASSIGN(OrderedJson v, eval_pipeline(dot, pipe));
    auto body = [&](const OrderedJson& key, const OrderedJson& elem) -> Result<Flow> {
      vars_.resize(mark);
      if (decl.size() == 1) vars_.emplace_back(decl[0], elem);
      if (decl.size() == 2) {
        vars_.emplace_back(decl[0], key);
        vars_.emplace_back(decl[1], elem);
      }
      return walk(elem, n.list);
    };
    bool any = false;
    if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) {
        any = true;
        BERTH_TRY_ASSIGN(Flow f, body(OrderedJson(i), v[i]));
        if (f == Flow::kBreak) break;
      }
    } else if (v.is_object()) {
      std::vector<std::string> keys;
      for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
      std::sort(keys.begin(), keys.end());
      for (const std::string& k : keys) {
        any = true;
        BERTH_TRY_ASSIGN(Flow f, body(OrderedJson(k), v[k]));
        if (f == Flow::kBreak) break;
      }
    } else if (v.is_number_integer()) {
      for (long long i = 0; i < v.get<long long>(); ++i) {
        any = true;
        BERTH_TRY_ASSIGN(Flow f, body(OrderedJson(i), OrderedJson(i)));
        if (f == Flow::kBreak) break;
      }
    } else if (!v.is_null()) {
      const Operand& op = n.pipe.cmds.back().args[0];
      return fail(op, "range can't iterate over " + internal::go_print(v));
    }
    vars_.resize(mark);
    if (!any) {
      BERTH_TRY_ASSIGN(Flow f, walk(dot, n.else_list));
      vars_.resize(mark);
      return f == Flow::kBreak || f == Flow::kContinue ? Flow::kNormal : f;
    }
    return Flow::kNormal;
  }

  Result<OrderedJson> eval_pipeline(const OrderedJson& dot, const Pipeline& pipe) {
    OrderedJson value;
    bool have = false;
    for (const Command& cmd : pipe.cmds) {
      BERTH_TRY_ASSIGN(value, eval_command(dot, cmd, have ? &value : nullptr));
      have = true;
    }
    for (const std::string& name : pipe.decl) {
      if (pipe.assign) {
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
          if (it->first == name) {
            it->second = value;
            break;
          }
        }
      } else {
        vars_.emplace_back(name, value);
      }
    }
    return value;
  }

  Result<OrderedJson> eval_command(const OrderedJson& dot, const Command& cmd,
                                   const OrderedJson* final) {
    const Operand& head = cmd.args[0];
    if (head.kind == Operand::kIdent) {
      std::vector<const Operand*> rest;
      for (size_t i = 1; i < cmd.args.size(); ++i) rest.push_back(&cmd.args[i]);
      return call(dot, head, rest, final);
    }
    bool method = cmd.args.size() > 1 || final != nullptr;
    if (method && head.fields.empty())
      return fail(head, "can't give argument to non-function " + head.text);
    if (!method) return eval_operand(dot, head);
    // A method with arguments, as `.Label "k"`: the field names a map that the argument indexes.
    std::vector<OrderedJson> args;
    for (size_t i = 1; i < cmd.args.size(); ++i) {
      BERTH_TRY_ASSIGN(OrderedJson a, eval_operand(dot, cmd.args[i]));
      args.push_back(std::move(a));
    }
    if (final != nullptr) args.push_back(*final);
    BERTH_TRY_ASSIGN(OrderedJson map, eval_operand(dot, head));
    // The header context is a map[string]string: docker shows the argument (`.Label "b"` -> b).
    if (options_.header) return OrderedJson(internal::go_print(args.back(), false));
    if (!map.is_object() || args.size() != 1 || !args[0].is_string()) {
      return fail(head, head.fields.back() + " has arguments but cannot be invoked as function");
    }
    std::string key = args[0].get<std::string>();
    return map.contains(key) ? map[key] : OrderedJson("");
  }

  Result<OrderedJson> call(const OrderedJson& dot, const Operand& head,
                           const std::vector<const Operand*>& rest, const OrderedJson* final) {
    const std::string& name = head.name;
    if (name == "and" || name == "or") {
      size_t n = rest.size() + (final ? 1 : 0);
      if (n < 1) return fail(head, "wrong number of args for " + name + ": want at least 1 got 0");
      OrderedJson v;
      for (size_t i = 0; i < n; ++i) {
        if (i < rest.size()) {
          BERTH_TRY_ASSIGN(v, eval_operand(dot, *rest[i]));
        } else {
          v = *final;
        }
        bool t = internal::go_truth(v);
        if (name == "and" ? !t : t) return v;
      }
      return v;
    }
    std::vector<OrderedJson> args;
    for (const Operand* op : rest) {
      BERTH_TRY_ASSIGN(OrderedJson a, eval_operand(dot, *op));
      args.push_back(std::move(a));
    }
    if (final != nullptr) args.push_back(*final);
    bool found = false;
    auto r = internal::call_template_function(name, args, options_.header, &found);
    if (!found) {
      return fail_line(head.pos, "function \"" + name + "\" not defined");
    }
    if (!r.ok()) return fail(head, "error calling " + name + ": " + r.error().message);
    return r;
  }

  Result<OrderedJson> eval_operand(const OrderedJson& dot, const Operand& op) {
    switch (op.kind) {
      case Operand::kDot:
        return dot;
      case Operand::kLiteral:
        return op.literal;
      case Operand::kIdent: {
        std::vector<const Operand*> none;
        return call(dot, op, none, nullptr);
      }
      case Operand::kField:
        return eval_fields(dot, op);
      case Operand::kVariable: {
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
          if (it->first == op.name) return eval_fields(it->second, op);
        }
        return fail_line(op.pos, "undefined variable \"" + op.name + "\"");
      }
      case Operand::kPipe: {
        size_t mark = vars_.size();
        BERTH_TRY_ASSIGN(OrderedJson v, eval_pipeline(dot, *op.pipe));
        vars_.resize(mark);
        return eval_fields(v, op);
      }
    }
    return OrderedJson();
  }

  Result<OrderedJson> eval_fields(const OrderedJson& start, const Operand& op) {
    if (op.fields.empty()) return start;
    OrderedJson cur;
    const OrderedJson* at = &start;
    for (const std::string& field : op.fields) {
      bool at_root = at == &root_;
      OrderedJson next;
      if (at->is_object()) {
        if (at->contains(field)) {
          next = (*at)[field];
        } else if (at->contains("@" + field)) {
          next = (*at)["@" + field];
        } else if (options_.header) {
          next = "";
        } else if (!options_.strict_type.empty() && at_root) {
          return fail(op, "can't evaluate field " + field + " in type " + options_.strict_type);
        }
      } else if (at->is_null()) {
        return fail(op, "nil pointer evaluating interface {}." + field);
      } else {
        std::string type = at->is_string()         ? "string"
                           : at->is_boolean()      ? "bool"
                           : at->is_array()        ? "[]interface {}"
                           : at->is_number_float() ? "float64"
                                                   : "int";
        return fail(op, "can't evaluate field " + field + " in type " + type);
      }
      cur = std::move(next);
      at = &cur;
    }
    return cur;
  }

  const std::string& src_;
  const OrderedJson& root_;
  const TemplateOptions& options_;
  std::vector<std::pair<std::string, OrderedJson>> vars_;
};

}  // namespace

Result<std::string> Template::execute(const OrderedJson& data,
                                      const TemplateOptions& options) const {
  Executor exec(root_->text, data, options);
  BERTH_TRY(exec.walk(data, root_->list));
  return std::move(exec.out);
}

}  // namespace berth::cli
