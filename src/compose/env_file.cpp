#include "compose/env_file.h"

#include <map>

#include "base/file.h"
#include "base/strings.h"

namespace berth::compose {

namespace {

// The value after `=`, possibly spanning lines when quoted; `pos` moves past it.
Result<std::pair<std::string, bool>> read_value(const std::string& text, size_t* pos,
                                                const std::string& where) {
  size_t i = *pos;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
    char q = text[i++];
    std::string v;
    for (; i < text.size() && text[i] != q; ++i) {
      if (q == '"' && text[i] == '\\' && i + 1 < text.size()) {
        char e = text[++i];
        switch (e) {
          case 'n':
            v += '\n';
            break;
          case 't':
            v += '\t';
            break;
          case 'r':
            v += '\r';
            break;
          default:
            v += e;
        }
        continue;
      }
      v += text[i];
    }
    if (i >= text.size())
      return make_error(Code::kInvalidArgument, where + ": unterminated quoted value");
    ++i;
    while (i < text.size() && text[i] != '\n') ++i;  // a comment may follow
    *pos = i;
    return std::make_pair(v, q == '"');
  }
  size_t end = text.find('\n', i);
  if (end == std::string::npos) end = text.size();
  std::string v = text.substr(i, end - i);
  if (size_t hash = v.find(" #"); hash != std::string::npos) v = v.substr(0, hash);
  if (!v.empty() && v.back() == '\r') v.pop_back();
  *pos = end;
  return std::make_pair(trim(v), true);
}

}  // namespace

Result<EnvList> parse_env_file(const std::string& text, const std::string& what,
                               const Lookup& lookup) {
  EnvList out;
  std::map<std::string, std::string> seen;
  Lookup chained = [&](const std::string& name) -> std::optional<std::string> {
    if (auto it = seen.find(name); it != seen.end()) return it->second;
    return lookup ? lookup(name) : std::nullopt;
  };
  size_t pos = 0;
  int line = 0;
  while (pos < text.size()) {
    ++line;
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string raw = trim(text.substr(pos, eol - pos));
    if (raw.empty() || raw[0] == '#') {
      pos = eol + 1;
      continue;
    }
    size_t start = text.find_first_not_of(" \t", pos);
    size_t eq = text.find('=', start);
    std::string where = what + ": line " + std::to_string(line);
    if (eq == std::string::npos || eq > eol) {
      std::string key = raw;
      if (key.rfind("export ", 0) == 0) key = trim(key.substr(7));
      if (auto v = chained(key)) {
        out.emplace_back(key, *v);
        seen[key] = *v;
      }
      pos = eol + 1;
      continue;
    }
    std::string key = trim(text.substr(start, eq - start));
    if (key.rfind("export ", 0) == 0) key = trim(key.substr(7));
    if (key.empty() || key.find_first_of(" \t") != std::string::npos)
      return make_error(Code::kInvalidArgument, where + ": unexpected character in variable name");
    size_t vpos = eq + 1;
    BERTH_TRY_ASSIGN(auto value, read_value(text, &vpos, where));
    std::string v = value.first;
    if (value.second) {
      BERTH_TRY_ASSIGN(v, interpolate_string(v, chained, where, nullptr));
    }
    seen[key] = v;
    bool replaced = false;
    for (auto& [k, old] : out) {
      if (k == key) {
        old = v;
        replaced = true;
      }
    }
    if (!replaced) out.emplace_back(key, v);
    pos = vpos + 1;
  }
  return out;
}

Result<EnvList> read_env_file(const std::string& path, const Lookup& lookup) {
  BERTH_TRY_ASSIGN(std::string text, read_file(path));
  return parse_env_file(text, path, lookup);
}

}  // namespace berth::compose
