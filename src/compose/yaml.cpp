#include "compose/yaml.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <regex>

namespace berth::compose {

namespace {

bool is_null_text(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// YAML 1.2 core schema resolution of a plain scalar.
Node resolve_plain(const std::string& s) {
  if (is_null_text(s)) return Node();
  if (s == "true" || s == "True" || s == "TRUE") return Node::boolean(true);
  if (s == "false" || s == "False" || s == "FALSE") return Node::boolean(false);
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kOct("0o[0-7]+");
  static const std::regex kHex("0x[0-9a-fA-F]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (std::regex_match(s, kInt)) {
    errno = 0;
    long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno != ERANGE) return Node::integer(v);
  }
  if (std::regex_match(s, kOct)) return Node::integer(std::strtoll(s.c_str() + 2, nullptr, 8));
  if (std::regex_match(s, kHex)) return Node::integer(std::strtoll(s.c_str() + 2, nullptr, 16));
  if (std::regex_match(s, kFloat)) return Node::floating(std::strtod(s.c_str(), nullptr), s);
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf") return Node::floating(HUGE_VAL, s);
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return Node::floating(-HUGE_VAL, s);
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return Node::floating(NAN, s);
  return Node::string(s);
}

Status convert(const YAML::Node& in, Node* out, const std::string& path);

// `<<: *base` or `<<: [*a, *b]`: keys not already set are taken from the merged maps, the first
// map of a list winning.
Status apply_merge_key(const YAML::Node& value, Node* out, const std::string& path,
                       std::vector<std::string>* explicit_keys) {
  std::vector<YAML::Node> sources;
  if (value.IsMap()) {
    sources.push_back(value);
  } else if (value.IsSequence()) {
    for (const auto& item : value) sources.push_back(item);
  } else {
    return make_error(Code::kInvalidArgument, path + ": merge key <<: expected a mapping");
  }
  for (const auto& src : sources) {
    if (!src.IsMap())
      return make_error(Code::kInvalidArgument, path + ": merge key <<: expected a mapping");
    Node converted;
    BERTH_TRY(convert(src, &converted, path));
    for (auto& [k, v] : converted.entries()) {
      if (out->has(k)) continue;
      out->set(k, std::move(v));
      (void)explicit_keys;
    }
  }
  return ok_status();
}

Status convert(const YAML::Node& in, Node* out, const std::string& path) {
  switch (in.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      *out = Node();
      if (in.Tag() != "?" && in.Tag() != "!" && in.Tag() != "") out->set_tag(in.Tag());
      return ok_status();
    case YAML::NodeType::Scalar: {
      const std::string& tag = in.Tag();
      if (tag == "?") {
        *out = resolve_plain(in.Scalar());
      } else if (tag == "!!int" || tag == "tag:yaml.org,2002:int") {
        *out = resolve_plain(in.Scalar());
        if (!out->is_int())
          return make_error(Code::kInvalidArgument, path + ": not an integer: " + in.Scalar());
      } else {
        *out = Node::string(in.Scalar());
        if (tag != "!" && tag != "tag:yaml.org,2002:str" && tag != "!!str") out->set_tag(tag);
      }
      return ok_status();
    }
    case YAML::NodeType::Sequence: {
      *out = Node::seq();
      size_t i = 0;
      for (const auto& item : in) {
        Node n;
        BERTH_TRY(convert(item, &n, path_index(path, i++)));
        out->push_back(std::move(n));
      }
      if (in.Tag() != "?" && in.Tag() != "!" && !in.Tag().empty()) out->set_tag(in.Tag());
      return ok_status();
    }
    case YAML::NodeType::Map: {
      *out = Node::map();
      const YAML::Node* merge = nullptr;
      YAML::Node merge_value;
      std::vector<std::string> keys;
      for (const auto& kv : in) {
        if (!kv.first.IsScalar())
          return make_error(Code::kInvalidArgument, path + ": a mapping key must be a scalar");
        std::string key = kv.first.Scalar();
        if (key == "<<" && kv.first.Tag() == "?") {
          merge_value = kv.second;
          merge = &merge_value;
          continue;
        }
        if (out->has(key)) {
          return make_error(Code::kInvalidArgument,
                            path_key(path, key) + ": mapping key \"" + key + "\" already defined");
        }
        Node n;
        BERTH_TRY(convert(kv.second, &n, path_key(path, key)));
        out->set(key, std::move(n));
        keys.push_back(key);
      }
      if (merge != nullptr) BERTH_TRY(apply_merge_key(*merge, out, path, &keys));
      if (in.Tag() != "?" && in.Tag() != "!" && !in.Tag().empty()) out->set_tag(in.Tag());
      return ok_status();
    }
  }
  return ok_status();
}

bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  Node as_plain = resolve_plain(s);
  if (!as_plain.is_string()) return true;
  // Leading or trailing space, or characters yaml-cpp would otherwise emit plainly but which
  // change meaning for other readers.
  return s.front() == ' ' || s.back() == ' ' || s.find(": ") != std::string::npos ||
         s.find(" #") != std::string::npos || s.find('\n') != std::string::npos ||
         std::string("!&*?{}[],#|>@`\"'%:").find(s.front()) != std::string::npos ||
         (s.front() == '-' && (s.size() == 1 || s[1] == ' '));
}

void emit(YAML::Emitter& e, const Node& n) {
  switch (n.kind()) {
    case Node::Kind::kNull:
      e << "null";  // as Compose prints it, not yaml-cpp's "~"
      break;
    case Node::Kind::kBool:
      e << (n.as_bool() ? "true" : "false");
      break;
    case Node::Kind::kInt:
    case Node::Kind::kFloat:
      e << n.scalar_text();
      break;
    case Node::Kind::kString:
      if (needs_quotes(n.as_string())) {
        e << YAML::DoubleQuoted << n.as_string();
      } else {
        e << n.as_string();
      }
      break;
    case Node::Kind::kSeq:
      if (n.items().empty()) {
        e << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        break;
      }
      e << YAML::BeginSeq;
      for (const auto& item : n.items()) emit(e, item);
      e << YAML::EndSeq;
      break;
    case Node::Kind::kMap:
      if (n.entries().empty()) {
        e << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        break;
      }
      e << YAML::BeginMap;
      for (const auto& [k, v] : n.entries()) {
        e << YAML::Key;
        if (needs_quotes(k)) {
          e << YAML::DoubleQuoted << k;
        } else {
          e << k;
        }
        e << YAML::Value;
        emit(e, v);
      }
      e << YAML::EndMap;
      break;
  }
}

}  // namespace

Result<Node> parse_yaml(const std::string& text, const std::string& what) {
  try {
    YAML::Node doc = YAML::Load(text);
    Node out;
    BERTH_TRY_CTX(convert(doc, &out, ""), what);
    if (out.is_null()) out = Node::map();
    return out;
  } catch (const YAML::Exception& e) {
    return make_error(Code::kInvalidArgument,
                      what + ": yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  } catch (const std::exception& e) {
    return make_error(Code::kInvalidArgument, what + ": yaml: " + e.what());
  }
}

std::string emit_yaml(const Node& node) {
  try {
    YAML::Emitter e;
    e.SetIndent(2);
    e.SetSeqFormat(YAML::Block);
    e.SetMapFormat(YAML::Block);
    emit(e, node);
    std::string out = e.c_str();
    if (!out.empty() && out.back() != '\n') out += '\n';
    return out;
  } catch (const std::exception& e) {
    return std::string("# yaml emitter failed: ") + e.what() + "\n";
  }
}

}  // namespace berth::compose
