#include "compose/node_json.h"

#include "base/json.h"

namespace berth::compose {

namespace {

Json to_json(const Node& n) {
  switch (n.kind()) {
    case Node::Kind::kNull:
      return nullptr;
    case Node::Kind::kBool:
      return n.as_bool();
    case Node::Kind::kInt:
      return n.as_int();
    case Node::Kind::kFloat:
      return n.as_float();
    case Node::Kind::kString:
      return n.as_string();
    case Node::Kind::kSeq: {
      Json a = Json::array();
      for (const auto& item : n.items()) a.push_back(to_json(item));
      return a;
    }
    case Node::Kind::kMap: {
      // ordered_json would keep file order; the keys are few, so build it by hand below.
      Json o = Json::object();
      for (const auto& [k, v] : n.entries()) o[k] = to_json(v);
      return o;
    }
  }
  return nullptr;
}

void write(const Node& n, int indent, int depth, std::string& out) {
  auto newline = [&](int d) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * d), ' ');
  };
  if (n.is_map()) {
    if (n.entries().empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& [k, v] : n.entries()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      append_json_string(out, k);
      out += indent < 0 ? ":" : ": ";
      write(v, indent, depth + 1, out);
    }
    newline(depth);
    out += '}';
  } else if (n.is_seq()) {
    if (n.items().empty()) {
      out += "[]";
      return;
    }
    out += '[';
    bool first = true;
    for (const auto& item : n.items()) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      write(item, indent, depth + 1, out);
    }
    newline(depth);
    out += ']';
  } else {
    out += dump_json(to_json(n));
  }
}

Node from_json(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return Node();
    case Json::value_t::boolean:
      return Node::boolean(j.get<bool>());
    case Json::value_t::number_integer:
      return Node::integer(j.get<int64_t>());
    case Json::value_t::number_unsigned:
      return Node::integer(static_cast<int64_t>(j.get<uint64_t>()));
    case Json::value_t::number_float:
      return Node::floating(j.get<double>());
    case Json::value_t::string:
      return Node::string(j.get<std::string>());
    case Json::value_t::array: {
      Node s = Node::seq();
      for (const auto& item : j) s.push_back(from_json(item));
      return s;
    }
    case Json::value_t::object: {
      Node m = Node::map();
      for (auto it = j.begin(); it != j.end(); ++it) m.set(it.key(), from_json(it.value()));
      return m;
    }
    default:
      return Node();
  }
}

}  // namespace

std::string to_json_text(const Node& node, int indent) {
  std::string out;
  write(node, indent, 0, out);
  return out;
}

Result<Node> from_json_text(const std::string& text, const std::string& what) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, what));
  return from_json(j);
}

}  // namespace berth::compose
