#include "compose/schema.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "base/strings.h"
#include "compose/node_json.h"

namespace berth::compose {

extern const char* const kComposeSpecJson;  // schema_data.cpp, generated from schema/

namespace {

int depth_of(const std::string& path) {
  return static_cast<int>(std::count(path.begin(), path.end(), '.') +
                          std::count(path.begin(), path.end(), '['));
}

bool is_type(const Node& v, const std::string& t) {
  if (t == "string") return v.is_string();
  if (t == "object") return v.is_map();
  if (t == "array") return v.is_seq();
  if (t == "null") return v.is_null();
  if (t == "boolean") {
    if (v.is_bool()) return true;
    if (v.is_string() && v.interpolated()) {
      std::string s = to_lower(v.as_string());
      return s == "true" || s == "false";
    }
    return false;
  }
  if (t == "integer") {
    if (v.is_int()) return true;
    if (v.is_float()) return std::floor(v.as_float()) == v.as_float();
    long long i;
    return v.is_string() && v.interpolated() && parse_int64(v.as_string(), &i);
  }
  if (t == "number") {
    if (v.is_number()) return true;
    if (v.is_string() && v.interpolated() && !v.as_string().empty()) {
      char* end = nullptr;
      std::strtod(v.as_string().c_str(), &end);
      return *end == '\0';
    }
    return false;
  }
  return false;
}

std::string type_words(const Node& type) {
  std::vector<std::string> names;
  if (type.is_string()) names.push_back(type.as_string());
  for (const auto& t : type.items()) names.push_back(t.as_string());
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string article(const std::string& word) {
  return (!word.empty() && std::string("aeiou").find(word[0]) != std::string::npos ? "an " : "a ") +
         word;
}

}  // namespace

Schema::Schema(Node root) : root_(std::move(root)) {}

const Schema& Schema::compose_spec() {
  static const Schema* schema = [] {
    auto parsed = from_json_text(kComposeSpecJson, "compose-spec.json");
    // The schema is part of the binary; failing to parse it is a build defect.
    if (!parsed.ok()) std::abort();
    return new Schema(std::move(parsed).value());
  }();
  return *schema;
}

const std::regex& Schema::regex(const std::string& pattern) const {
  static std::mutex mu;
  std::lock_guard lock(mu);
  auto& slot = regex_cache_[pattern];
  if (!slot) slot = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
  return *slot;
}

const Node* Schema::resolve(const Node& schema) const {
  const Node* s = &schema;
  for (int hops = 0; hops < 16; ++hops) {
    const Node* ref = s->find("$ref");
    if (ref == nullptr) return s;
    const std::string& r = ref->as_string();
    if (r.rfind("#/", 0) != 0) return s;
    const Node* target = &root_;
    for (const auto& part : split(r.substr(2), '/')) {
      target = target->find(part);
      if (target == nullptr) return s;
    }
    s = target;
  }
  return s;
}

bool Schema::check_type(const Node& value, const Node& type) const {
  if (type.is_string()) return is_type(value, type.as_string());
  for (const auto& t : type.items()) {
    if (is_type(value, t.as_string())) return true;
  }
  return false;
}

bool Schema::check(const Node& value, const Node& schema_in, const std::string& path,
                   Problem* problem) const {
  const Node& schema = *resolve(schema_in);
  if (schema.is_bool()) {
    if (schema.as_bool()) return true;
    *problem = {path, "is not allowed", depth_of(path)};
    return false;
  }
  if (!schema.is_map()) return true;
  std::string where = path.empty() ? "(root)" : path;

  if (const Node* type = schema.find("type"); type != nullptr && !check_type(value, *type)) {
    *problem = {where, "must be " + article(type_words(*type)), depth_of(path)};
    return false;
  }
  if (const Node* e = schema.find("enum")) {
    bool found = false;
    std::vector<std::string> allowed;
    for (const auto& option : e->items()) {
      allowed.push_back(option.scalar_text());
      if (option == value || (value.is_scalar() && option.scalar_text() == value.scalar_text()))
        found = true;
    }
    if (!found) {
      *problem = {where, "must be one of: " + join(allowed, ", "), depth_of(path)};
      return false;
    }
  }
  for (const char* combinator : {"oneOf", "anyOf"}) {
    const Node* branches = schema.find(combinator);
    if (branches == nullptr) continue;
    // oneOf is checked as anyOf: with interpolated strings accepted as numbers, exactly-one
    // would reject `"${PORT}"` where both a string and an integer branch match.
    Problem best;
    bool have_best = false;
    std::vector<std::string> kinds;
    bool matched = false;
    for (const auto& branch : branches->items()) {
      Problem p;
      if (check(value, branch, path, &p)) {
        matched = true;
        break;
      }
      const Node& b = *resolve(branch);
      if (const Node* t = b.find("type")) kinds.push_back(type_words(*t));
      // A branch of the value's own type explains the failure best.
      bool type_ok = b.find("type") == nullptr || check_type(value, *b.find("type"));
      if (type_ok && (!have_best || p.depth > best.depth)) {
        best = p;
        have_best = true;
      }
    }
    if (matched) continue;
    if (have_best) {
      *problem = best;
    } else {
      std::string words;
      for (size_t i = 0; i < kinds.size(); ++i) {
        if (i > 0) words += i + 1 == kinds.size() ? " or " : ", ";
        words += kinds[i];
      }
      *problem = {where, "must be " + article(words.empty() ? "valid value" : words),
                  depth_of(path)};
    }
    return false;
  }
  if (const Node* all = schema.find("allOf")) {
    for (const auto& branch : all->items()) {
      if (!check(value, branch, path, problem)) return false;
    }
  }
  if (const Node* n = schema.find("not")) {
    Problem ignored;
    if (check(value, *n, path, &ignored)) {
      *problem = {where, "is not allowed here", depth_of(path)};
      return false;
    }
  }
  if (value.is_number()) {
    if (const Node* m = schema.find("minimum"); m != nullptr && value.as_float() < m->as_float()) {
      *problem = {where, "must be >= " + m->scalar_text(), depth_of(path)};
      return false;
    }
    if (const Node* m = schema.find("maximum"); m != nullptr && value.as_float() > m->as_float()) {
      *problem = {where, "must be <= " + m->scalar_text(), depth_of(path)};
      return false;
    }
  }
  if (value.is_string()) {
    if (const Node* p = schema.find("pattern");
        p != nullptr && !std::regex_search(value.as_string(), regex(p->as_string()))) {
      *problem = {where, "does not match pattern '" + p->as_string() + "'", depth_of(path)};
      return false;
    }
  }
  if (value.is_seq()) {
    if (const Node* items = schema.find("items")) {
      for (size_t i = 0; i < value.items().size(); ++i) {
        if (!check(value.items()[i], *items, path_index(path, i), problem)) return false;
      }
    }
    if (const Node* m = schema.find("minItems");
        m != nullptr && static_cast<int64_t>(value.items().size()) < m->as_int()) {
      *problem = {where, "must have at least " + m->scalar_text() + " items", depth_of(path)};
      return false;
    }
    if (const Node* u = schema.find("uniqueItems"); u != nullptr && u->as_bool()) {
      const auto& it = value.items();
      for (size_t i = 0; i < it.size(); ++i) {
        for (size_t j = i + 1; j < it.size(); ++j) {
          if (it[i] == it[j]) {
            *problem = {where, "contains duplicate items (" + it[i].scalar_text() + ")",
                        depth_of(path)};
            return false;
          }
        }
      }
    }
  }
  if (value.is_map()) {
    if (const Node* req = schema.find("required")) {
      for (const auto& r : req->items()) {
        if (!value.has(r.as_string())) {
          *problem = {path_key(path, r.as_string()), "is required", depth_of(path) + 1};
          return false;
        }
      }
    }
    const Node* props = schema.find("properties");
    const Node* pattern_props = schema.find("patternProperties");
    const Node* additional = schema.find("additionalProperties");
    for (const auto& [k, v] : value.entries()) {
      bool covered = false;
      std::string child = path_key(path, k);
      if (props != nullptr) {
        if (const Node* ps = props->find(k)) {
          covered = true;
          if (!check(v, *ps, child, problem)) return false;
        }
      }
      if (pattern_props != nullptr) {
        for (const auto& [pattern, ps] : pattern_props->entries()) {
          if (std::regex_search(k, regex(pattern))) {
            covered = true;
            if (!check(v, ps, child, problem)) return false;
          }
        }
      }
      if (covered || additional == nullptr) continue;
      if (additional->is_bool()) {
        if (!additional->as_bool()) {
          *problem = {where, "additional property " + k + " is not allowed", depth_of(path)};
          return false;
        }
      } else if (!check(v, *additional, child, problem)) {
        return false;
      }
    }
  }
  return true;
}

Status Schema::validate(const Node& doc) const {
  Problem problem;
  if (check(doc, root_, "", &problem)) return ok_status();
  return make_error(Code::kInvalidArgument, problem.path + " " + problem.message);
}

}  // namespace berth::compose
