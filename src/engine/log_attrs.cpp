#include "engine/log_attrs.h"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <regex>

#include "base/strings.h"

namespace berth::engine {

namespace {

using Attrs = std::map<std::string, std::string>;

Error invalid(const std::string& message) { return make_error(Code::kInvalidArgument, message); }

Result<std::regex> compile(const std::string& pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return invalid("error parsing regexp: " + std::string(e.what()) + ": `" + pattern + "`");
  }
}

// One source (labels or env): the keys named in the comma list, then those the regex matches.
Status pick(const Attrs& from, const std::string& names, const std::string& pattern, Attrs* out) {
  if (!names.empty())
    for (auto& name : split(names, ','))
      if (auto it = from.find(name); it != from.end()) (*out)[name] = it->second;
  if (pattern.empty()) return ok_status();
  BERTH_TRY_ASSIGN(std::regex re, compile(pattern));
  for (auto& [key, value] : from)
    if (std::regex_search(key, re)) (*out)[key] = value;
  return ok_status();
}

std::string short_id(const std::string& id) {
  std::string hex = id.rfind("sha256:", 0) == 0 ? id.substr(7) : id;
  return hex.substr(0, 12);
}

// The fields of dockerd's logger.Info a tag template names, as {{.Name}} (text/template's
// simplest form, which is what tags use in practice).
Result<std::string> tag_field(const Container& c, const std::string& field) {
  if (field == "ID") return short_id(c.id);
  if (field == "FullID") return c.id;
  if (field == "Name") return c.name;
  if (field == "ImageID") return short_id(c.image_id);
  if (field == "ImageFullID") return c.image_id;
  if (field == "ImageName") return c.config.image;
  if (field == "DaemonName") return std::string("docker");
  if (field == "Command") {
    std::string cmd = c.path;
    for (auto& a : c.args) cmd += " " + a;
    return cmd;
  }
  if (field == "Hostname") {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string(host);
  }
  return invalid("template: log-tag: can't evaluate field " + field + " in type *logger.Info");
}

Result<std::string> expand_tag(const Container& c, const std::string& tmpl) {
  std::string out;
  size_t pos = 0;
  while (pos < tmpl.size()) {
    size_t open = tmpl.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = tmpl.find("}}", open + 2);
    if (close == std::string::npos) return invalid("template: log-tag:1: unclosed action");
    out += tmpl.substr(pos, open - pos);
    std::string action = trim(std::string_view(tmpl).substr(open + 2, close - open - 2));
    if (action.size() < 2 || action[0] != '.')
      return invalid("template: log-tag:1: function \"" + action + "\" not defined");
    BERTH_TRY_ASSIGN(std::string value, tag_field(c, action.substr(1)));
    out += value;
    pos = close + 2;
  }
  return out + tmpl.substr(std::min(pos, tmpl.size()));
}

}  // namespace

Result<shim::LogAttrs> log_attributes(const Container& c) {
  const model::LogConfig& log_config = c.host_config.log_config;
  if (log_config.type == "none") return shim::LogAttrs{};
  Attrs opts(log_config.config.begin(), log_config.config.end());
  auto opt = [&](const char* key) {
    auto it = opts.find(key);
    return it == opts.end() ? std::string() : it->second;
  };

  Attrs labels(c.config.labels.begin(), c.config.labels.end()), env, out;
  for (auto& kv : c.config.env)
    if (auto eq = kv.find('='); eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  BERTH_TRY(pick(labels, opt("labels"), opt("labels-regex"), &out));
  BERTH_TRY(pick(env, opt("env"), opt("env-regex"), &out));
  if (std::string tmpl = opt("tag"); !tmpl.empty()) {
    BERTH_TRY_ASSIGN(std::string tag, expand_tag(c, tmpl));
    if (!tag.empty()) out["tag"] = tag;
  }
  return shim::LogAttrs(out.begin(), out.end());
}

std::string log_details(shim::LogAttrs attrs) {
  std::stable_sort(attrs.begin(), attrs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // Go's url.QueryEscape: unreserved bytes stay, space is '+', the rest %XX.
  auto escape = [](std::string* out, const std::string& s) {
    static const char kHex[] = "0123456789ABCDEF";
    for (unsigned char ch : s) {
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '-' || ch == '_' || ch == '.' || ch == '~') {
        out->push_back(static_cast<char>(ch));
      } else if (ch == ' ') {
        out->push_back('+');
      } else {
        out->push_back('%');
        out->push_back(kHex[ch >> 4]);
        out->push_back(kHex[ch & 15]);
      }
    }
  };
  std::string out;
  for (auto& [key, value] : attrs) {
    if (!out.empty()) out.push_back(',');
    escape(&out, key);
    out.push_back('=');
    escape(&out, value);
  }
  return out;
}

}  // namespace berth::engine
