#include "compose/interpolate.h"

#include <cctype>

namespace berth::compose {

namespace {

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

Error invalid(const std::string& path, const std::string& text) {
  return make_error(Code::kInvalidArgument, "invalid interpolation format for " + path + ": \"" +
                                                text +
                                                "\"; you may need to escape any $ with another $");
}

void warn_unset(const std::string& name, std::vector<std::string>* warnings) {
  if (warnings == nullptr) return;
  std::string w = "The \"" + name + "\" variable is not set. Defaulting to a blank string.";
  for (const auto& existing : *warnings) {
    if (existing == w) return;
  }
  warnings->push_back(w);
}

// The body of `${...}` (without the braces).
Result<std::string> expand_braced(const std::string& body, const Lookup& lookup,
                                  const std::string& path, const std::string& whole,
                                  std::vector<std::string>* warnings) {
  size_t i = 0;
  if (body.empty() || !name_start(body[0])) return invalid(path, whole);
  while (i < body.size() && name_char(body[i])) ++i;
  std::string name = body.substr(0, i);
  std::optional<std::string> value = lookup(name);
  if (i == body.size()) {
    if (!value) warn_unset(name, warnings);
    return value.value_or("");
  }
  bool colon = body[i] == ':';
  if (colon) ++i;
  if (i >= body.size()) return invalid(path, whole);
  char op = body[i++];
  std::string arg = body.substr(i);
  bool missing = !value || (colon && value->empty());
  switch (op) {
    case '-':
      if (missing) return interpolate_string(arg, lookup, path, warnings);
      return *value;
    case '?':
      if (missing) {
        BERTH_TRY_ASSIGN(std::string msg, interpolate_string(arg, lookup, path, warnings));
        return make_error(
            Code::kInvalidArgument,
            "required variable " + name + " is missing a value" + (msg.empty() ? "" : ": " + msg));
      }
      return *value;
    case '+':
      if (missing) return std::string();
      return interpolate_string(arg, lookup, path, warnings);
    default:
      return invalid(path, whole);
  }
}

}  // namespace

Result<std::string> interpolate_string(const std::string& text, const Lookup& lookup,
                                       const std::string& path,
                                       std::vector<std::string>* warnings) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '$') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) return invalid(path, text);
    char next = text[i + 1];
    if (next == '$') {
      out += '$';
      i += 2;
    } else if (next == '{') {
      // Find the matching brace; nested ${...} may appear in defaults.
      size_t depth = 1, j = i + 2;
      for (; j < text.size() && depth > 0; ++j) {
        if (text[j] == '{' && text[j - 1] == '$') ++depth;
        if (text[j] == '}') --depth;
      }
      if (depth != 0) return invalid(path, text);
      std::string body = text.substr(i + 2, j - 1 - (i + 2));
      BERTH_TRY_ASSIGN(std::string v, expand_braced(body, lookup, path, text, warnings));
      out += v;
      i = j;
    } else if (name_start(next)) {
      size_t j = i + 1;
      while (j < text.size() && name_char(text[j])) ++j;
      std::string name = text.substr(i + 1, j - i - 1);
      std::optional<std::string> value = lookup(name);
      if (!value) warn_unset(name, warnings);
      out += value.value_or("");
      i = j;
    } else {
      return invalid(path, text);
    }
  }
  return out;
}

Status interpolate_tree(Node* node, const Lookup& lookup, const std::string& path,
                        std::vector<std::string>* warnings) {
  if (node->is_string()) {
    if (node->as_string().find('$') == std::string::npos) return ok_status();
    BERTH_TRY_ASSIGN(std::string v, interpolate_string(node->as_string(), lookup, path, warnings));
    std::string tag = node->tag();
    *node = Node::string(std::move(v));
    node->set_tag(tag);
    node->set_interpolated(true);
  } else if (node->is_seq()) {
    size_t i = 0;
    for (auto& item : node->items())
      BERTH_TRY(interpolate_tree(&item, lookup, path_index(path, i++), warnings));
  } else if (node->is_map()) {
    for (auto& [k, v] : node->entries())
      BERTH_TRY(interpolate_tree(&v, lookup, path_key(path, k), warnings));
  }
  return ok_status();
}

}  // namespace berth::compose
