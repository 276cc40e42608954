#include "cli/template.h"

#include <algorithm>
#include <cstdio>

#include "base/strings.h"

namespace berth::cli {

Result<OrderedJson> parse_ordered_json(const std::string& text) {
  OrderedJson j = OrderedJson::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(Code::kDataLoss, "invalid JSON from the daemon");
  return j;
}

std::string dump_indented(const OrderedJson& j) {
  return j.dump(4, ' ', false, OrderedJson::error_handler_t::replace);
}

namespace {

// How Go prints a value decoded from JSON with UseNumber.
std::string go_value(const OrderedJson& v) {
  if (v.is_null()) return "<no value>";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) return v.dump();
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + go_value(v[i]);
    return out + "]";
  }
  // Go prints maps with sorted keys: map[a:1 b:2]
  std::vector<std::string> keys;
  for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  std::string out = "map[";
  for (size_t i = 0; i < keys.size(); ++i)
    out += (i ? " " : "") + keys[i] + ":" + go_value(v[keys[i]]);
  return out + "]";
}

Result<OrderedJson> lookup(const OrderedJson& data, const std::string& path) {
  if (path == ".") return data;
  if (path.empty() || path[0] != '.')
    return make_error(Code::kInvalidArgument, "unsupported expression: " + path);
  OrderedJson cur = data;
  for (const std::string& key : split(path.substr(1), '.')) {
    if (!cur.is_object()) return make_error(Code::kInvalidArgument, "can't evaluate field " + key);
    if (!cur.contains(key)) return OrderedJson();
    OrderedJson next = cur[key];
    cur = std::move(next);
  }
  return cur;
}

}  // namespace

Result<std::string> render_template(const std::string& format, const OrderedJson& data) {
  std::string out;
  size_t pos = 0;
  while (pos < format.size()) {
    size_t open = format.find("{{", pos);
    std::string literal =
        format.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
    for (size_t i = 0; i < literal.size(); ++i) {
      if (literal[i] == '\\' && i + 1 < literal.size() &&
          (literal[i + 1] == 't' || literal[i + 1] == 'n')) {
        out += literal[i + 1] == 't' ? '\t' : '\n';
        ++i;
      } else {
        out += literal[i];
      }
    }
    if (open == std::string::npos) break;
    size_t close = format.find("}}", open);
    if (close == std::string::npos) return make_error(Code::kInvalidArgument, "unclosed action");
    std::string action = trim(format.substr(open + 2, close - open - 2));
    if (!action.empty() && action.front() == '-') action = trim(action.substr(1));
    if (!action.empty() && action.back() == '-') action = trim(action.substr(0, action.size() - 1));
    if (action.rfind("json ", 0) == 0) {
      BERTH_TRY_ASSIGN(OrderedJson v, lookup(data, trim(action.substr(5))));
      out += v.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
    } else if (action.rfind("upper ", 0) == 0 || action.rfind("lower ", 0) == 0) {
      BERTH_TRY_ASSIGN(OrderedJson v, lookup(data, trim(action.substr(6))));
      std::string s = go_value(v);
      for (char& c : s)
        c = action[0] == 'u' ? static_cast<char>(std::toupper(c))
                             : static_cast<char>(std::tolower(c));
      out += s;
    } else {
      BERTH_TRY_ASSIGN(OrderedJson v, lookup(data, action));
      out += go_value(v);
    }
    pos = close + 2;
  }
  return out;
}

}  // namespace berth::cli
