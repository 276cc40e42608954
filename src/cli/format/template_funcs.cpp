// The functions of cli/template.h: Go's builtins and docker's templates.basicFunctions, and
// fmt's printing of JSON values.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/strings.h"
#include "cli/format/format.h"
#include "cli/format/internal/template_ast.h"

namespace berth::cli::internal {

namespace {

// fmt's %v for float64: shortest digits, %e when the exponent is < -4 or >= max(digits, 6)
// (strconv's 'g' with the shortest precision, and fmt's threshold of 21 for %v).
std::string go_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  char buf[64];
  int prec = 1;
  for (; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  int exp = std::atoi(std::strchr(buf, 'e') + 1);
  if (exp < -4 || exp >= 21) {
    // Go writes at least two exponent digits, as C does.
    return buf;
  }
  int decimals = std::max(prec - 1 - exp, 0);
  std::snprintf(buf, sizeof buf, "%.*f", decimals, d);
  return buf;
}

std::string type_name(const OrderedJson& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  if (v.is_number_float()) return "float64";
  if (v.is_number()) return "int";
  if (v.is_array()) return "[]interface {}";
  if (v.is_object()) return "map[string]interface {}";
  return "<nil>";
}

bool as_int(const OrderedJson& v, long long* out) {
  if (v.is_number_integer() || v.is_number_unsigned()) {
    *out = v.get<long long>();
    return true;
  }
  if (v.is_number_float()) {
    *out = static_cast<long long>(v.get<double>());
    return true;
  }
  if (v.is_string()) return parse_int64(v.get<std::string>(), out);
  return false;
}

std::string pad_to(std::string s, int width, bool left, char fill) {
  int n = static_cast<int>(display_width(s));
  if (width <= n) return s;
  std::string pad(static_cast<size_t>(width - n), fill);
  if (left) return s + std::string(static_cast<size_t>(width - n), ' ');
  if (fill == '0' && !s.empty() && (s[0] == '-' || s[0] == '+')) return s[0] + pad + s.substr(1);
  return pad + s;
}

// fmt.Sprintf for the verbs people write in templates: %s %v %d %q %f %g %e %x %X %t %c %%.
std::string go_sprintf(const std::string& format, const std::vector<OrderedJson>& args) {
  std::string out;
  size_t argi = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    bool left = false, zero = false, plus = false;
    size_t j = i + 1;
    for (; j < format.size() && std::strchr("-+# 0", format[j]); ++j) {
      if (format[j] == '-') left = true;
      if (format[j] == '0') zero = true;
      if (format[j] == '+') plus = true;
    }
    int width = -1, prec = -1;
    if (j < format.size() && std::isdigit(static_cast<unsigned char>(format[j]))) {
      width = 0;
      while (j < format.size() && std::isdigit(static_cast<unsigned char>(format[j])))
        width = width * 10 + (format[j++] - '0');
    }
    if (j < format.size() && format[j] == '.') {
      prec = 0;
      ++j;
      while (j < format.size() && std::isdigit(static_cast<unsigned char>(format[j])))
        prec = prec * 10 + (format[j++] - '0');
    }
    if (j >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    char verb = format[j];
    i = j;
    if (argi >= args.size()) {
      out += std::string("%!") + verb + "(MISSING)";
      continue;
    }
    const OrderedJson& a = args[argi++];
    std::string s;
    char buf[128];
    long long n = 0;
    switch (verb) {
      case 'v':
      case 's':
        s = go_print(a, false);
        if (a.is_null()) s = "<nil>";
        if (verb == 's' && !a.is_string() && !a.is_array() && !a.is_object() && !a.is_null()) {
          s = "%!s(" + type_name(a) + "=" + go_print(a, false) + ")";
        }
        if (prec >= 0 && static_cast<int>(s.size()) > prec) s.resize(static_cast<size_t>(prec));
        break;
      case 'q':
        s = a.is_string() ? go_quote(a.get<std::string>()) : go_print(a, false);
        break;
      case 'd':
        if (a.is_number_integer() || a.is_number_unsigned()) {
          s = std::to_string(a.get<long long>());
          if (plus && a.get<long long>() >= 0) s = "+" + s;
        } else {
          s = "%!d(" + type_name(a) + "=" + go_print(a, false) + ")";
        }
        break;
      case 'x':
      case 'X':
        if (as_int(a, &n) && !a.is_string()) {
          std::snprintf(buf, sizeof buf, verb == 'x' ? "%llx" : "%llX", n);
          s = buf;
        } else {
          for (unsigned char ch : go_print(a, false)) {
            std::snprintf(buf, sizeof buf, verb == 'x' ? "%02x" : "%02X", ch);
            s += buf;
          }
        }
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'g':
        if (a.is_number()) {
          double d = a.get<double>();
          if (verb == 'g' && prec < 0) {
            s = go_float(d);
          } else {
            std::string f = std::string("%") + (plus ? "+" : "") + "." +
                            std::to_string(prec < 0 ? 6 : prec) + (verb == 'F' ? 'f' : verb);
            std::snprintf(buf, sizeof buf, f.c_str(), d);
            s = buf;
          }
        } else {
          s = std::string("%!") + verb + "(" + type_name(a) + "=" + go_print(a, false) + ")";
        }
        break;
      case 't':
        s = a.is_boolean() ? (a.get<bool>() ? "true" : "false")
                           : "%!t(" + type_name(a) + "=" + go_print(a, false) + ")";
        break;
      case 'c':
        if (as_int(a, &n)) s = std::string(1, static_cast<char>(n));
        break;
      default:
        s = std::string("%!") + verb + "(" + type_name(a) + "=" + go_print(a, false) + ")";
    }
    out += pad_to(s, width, left, zero && !left && verb != 's' && verb != 'v' ? '0' : ' ');
  }
  if (argi < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = argi; k < args.size(); ++k) {
      out += (k > argi ? ", " : "") + type_name(args[k]) + "=" + go_print(args[k], false);
    }
    out += ")";
  }
  return out;
}

// Go's eq/lt on basic values: numbers with numbers, strings with strings, bools with bools.
Result<int> compare(const OrderedJson& a, const OrderedJson& b, bool ordered) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() || b.is_number_float()) {
      double x = a.get<double>(), y = b.get<double>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    long long x = a.get<long long>(), y = b.get<long long>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string() && b.is_string()) {
    int c = a.get<std::string>().compare(b.get<std::string>());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.is_boolean() && b.is_boolean() && !ordered) return a == b ? 0 : 1;
  if (a.is_null() || b.is_null()) {
    if (ordered) return make_error(Code::kInvalidArgument, "invalid type for comparison");
    return a.is_null() && b.is_null() ? 0 : 1;
  }
  if (ordered && (a.is_boolean() || a.is_array() || a.is_object()))
    return make_error(Code::kInvalidArgument, "invalid type for comparison");
  return make_error(Code::kInvalidArgument, "incompatible types for comparison");
}

Status want_args(const std::string& name, const std::vector<OrderedJson>& args, size_t n) {
  if (args.size() == n) return ok_status();
  return make_error(Code::kInvalidArgument, "wrong number of args for " + name + ": want " +
                                                std::to_string(n) + " got " +
                                                std::to_string(args.size()));
}

std::string as_string(const OrderedJson& v) {
  return v.is_string() ? v.get<std::string>() : go_print(v, false);
}

}  // namespace

std::string go_print(const OrderedJson& v, bool top) {
  if (v.is_null()) return top ? "<no value>" : "<nil>";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) return go_float(v.get<double>());
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + go_print(v[i], false);
    return out + "]";
  }
  std::vector<std::string> keys;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key().empty() || it.key()[0] != '@') keys.push_back(it.key());
  }
  std::sort(keys.begin(), keys.end());
  std::string out = "map[";
  for (size_t i = 0; i < keys.size(); ++i)
    out += (i ? " " : "") + keys[i] + ":" + go_print(v[keys[i]], false);
  return out + "]";
}

bool go_truth(const OrderedJson& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_float()) return v.get<double>() != 0;
  if (v.is_number()) return v.get<long long>() != 0;
  if (v.is_string() || v.is_array() || v.is_object()) return !v.empty();
  return true;
}

std::string go_json(const OrderedJson& v) {
  if (v.is_object()) {
    OrderedJson copy = OrderedJson::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.key().empty() || it.key()[0] != '@') copy[it.key()] = it.value();
    }
    return copy.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
  }
  return v.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

Result<OrderedJson> call_template_function(const std::string& name,
                                           const std::vector<OrderedJson>& args, bool header,
                                           bool* found) {
  *found = true;
  static const char* kDockerFunctions[] = {"json",  "split", "join", "title",
                                           "lower", "upper", "pad",  "truncate"};
  bool docker_fn =
      std::find_if(std::begin(kDockerFunctions), std::end(kDockerFunctions),
                   [&](const char* f) { return name == f; }) != std::end(kDockerFunctions);
  if (docker_fn && header) {
    // templates.HeaderFunctions: the header text passes through.
    return args.empty() ? OrderedJson("") : OrderedJson(as_string(args[0]));
  }
  if (name == "json") {
    BERTH_TRY(want_args(name, args, 1));
    return OrderedJson(go_json(args[0]));
  }
  if (name == "join") {
    BERTH_TRY(want_args(name, args, 2));
    std::vector<std::string> parts;
    if (args[0].is_array()) {
      for (const auto& e : args[0]) parts.push_back(as_string(e));
    } else if (!args[0].is_null()) {
      parts.push_back(as_string(args[0]));
    }
    return OrderedJson(join(parts, as_string(args[1])));
  }
  if (name == "split") {
    BERTH_TRY(want_args(name, args, 2));
    std::string s = as_string(args[0]), sep = as_string(args[1]);
    OrderedJson out = OrderedJson::array();
    if (sep.empty()) {
      for (char ch : s) out.push_back(std::string(1, ch));
      return out;
    }
    size_t pos = 0;
    while (true) {
      size_t at = s.find(sep, pos);
      out.push_back(s.substr(pos, at == std::string::npos ? std::string::npos : at - pos));
      if (at == std::string::npos) break;
      pos = at + sep.size();
    }
    return out;
  }
  if (name == "lower" || name == "upper" || name == "title") {
    BERTH_TRY(want_args(name, args, 1));
    std::string s = as_string(args[0]);
    bool word_start = true;
    for (char& ch : s) {
      unsigned char u = static_cast<unsigned char>(ch);
      if (name == "lower") ch = static_cast<char>(std::tolower(u));
      if (name == "upper") ch = static_cast<char>(std::toupper(u));
      if (name == "title") {
        if (word_start) ch = static_cast<char>(std::toupper(u));
        word_start = std::isspace(u) != 0;
      }
    }
    return OrderedJson(s);
  }
  if (name == "truncate") {
    BERTH_TRY(want_args(name, args, 2));
    std::string s = as_string(args[0]);
    long long n = 0;
    if (!as_int(args[1], &n)) return make_error(Code::kInvalidArgument, "truncate wants a length");
    if (n >= 0 && static_cast<size_t>(n) < s.size()) s.resize(static_cast<size_t>(n));
    return OrderedJson(s);
  }
  if (name == "pad") {
    BERTH_TRY(want_args(name, args, 3));
    std::string s = as_string(args[0]);
    long long pre = 0, post = 0;
    (void)as_int(args[1], &pre);
    (void)as_int(args[2], &post);
    if (s.empty()) return OrderedJson(s);
    return OrderedJson(std::string(static_cast<size_t>(std::max(pre, 0LL)), ' ') + s +
                       std::string(static_cast<size_t>(std::max(post, 0LL)), ' '));
  }
  if (name == "print" || name == "println") {
    std::string out;
    for (size_t i = 0; i < args.size(); ++i) {
      bool space =
          name == "println" ? i > 0 : i > 0 && !args[i].is_string() && !args[i - 1].is_string();
      if (space) out += ' ';
      out += go_print(args[i], false);
    }
    if (name == "println") out += '\n';
    return OrderedJson(out);
  }
  if (name == "printf") {
    if (args.empty())
      return make_error(Code::kInvalidArgument,
                        "wrong number of args for printf: want at least 1 got 0");
    std::vector<OrderedJson> rest(args.begin() + 1, args.end());
    return OrderedJson(go_sprintf(as_string(args[0]), rest));
  }
  if (name == "len") {
    BERTH_TRY(want_args(name, args, 1));
    const OrderedJson& a = args[0];
    if (a.is_string()) return OrderedJson(a.get<std::string>().size());
    if (a.is_array() || a.is_object()) return OrderedJson(a.size());
    return make_error(Code::kInvalidArgument, "len of type " + type_name(a));
  }
  if (name == "index") {
    if (args.empty())
      return make_error(Code::kInvalidArgument,
                        "wrong number of args for index: want at least 1 got 0");
    OrderedJson cur = args[0];
    for (size_t i = 1; i < args.size(); ++i) {
      const OrderedJson& k = args[i];
      if (cur.is_object()) {
        if (!k.is_string())
          return make_error(Code::kInvalidArgument,
                            "value has type " + type_name(k) + "; should be string");
        OrderedJson next =
            cur.contains(k.get<std::string>()) ? cur[k.get<std::string>()] : OrderedJson();
        cur = std::move(next);
      } else if (cur.is_array() || cur.is_string()) {
        long long n = 0;
        if (!k.is_number_integer() || !as_int(k, &n))
          return make_error(Code::kInvalidArgument,
                            "cannot index slice/array with type " + type_name(k));
        size_t size = cur.is_string() ? cur.get<std::string>().size() : cur.size();
        if (n < 0 || static_cast<size_t>(n) >= size)
          return make_error(Code::kInvalidArgument, "index out of range: " + std::to_string(n));
        OrderedJson next = cur.is_string()
                               ? OrderedJson(static_cast<unsigned char>(cur.get<std::string>()[n]))
                               : cur[static_cast<size_t>(n)];
        cur = std::move(next);
      } else if (cur.is_null()) {
        return make_error(Code::kInvalidArgument, "index of untyped nil");
      } else {
        return make_error(Code::kInvalidArgument, "can't index item of type " + type_name(cur));
      }
    }
    return cur;
  }
  if (name == "not") {
    BERTH_TRY(want_args(name, args, 1));
    return OrderedJson(!go_truth(args[0]));
  }
  if (name == "eq") {
    if (args.size() < 2)
      return make_error(Code::kInvalidArgument, "missing argument for comparison");
    for (size_t i = 1; i < args.size(); ++i) {
      BERTH_TRY_ASSIGN(int c, compare(args[0], args[i], false));
      if (c == 0) return OrderedJson(true);
    }
    return OrderedJson(false);
  }
  if (name == "ne" || name == "lt" || name == "le" || name == "gt" || name == "ge") {
    BERTH_TRY(want_args(name, args, 2));
    BERTH_TRY_ASSIGN(int c, compare(args[0], args[1], name != "ne"));
    if (name == "ne") return OrderedJson(c != 0);
    if (name == "lt") return OrderedJson(c < 0);
    if (name == "le") return OrderedJson(c <= 0);
    if (name == "gt") return OrderedJson(c > 0);
    return OrderedJson(c >= 0);
  }
  *found = false;
  return OrderedJson();
}

}  // namespace berth::cli::internal
