// The Dockerfile parser (see dockerfile.h), following moby/buildkit's frontend/dockerfile/parser:
// directives only before the first instruction or other comment, comments dropped even inside
// continuations, heredocs read after the instruction's last line.
#include "builder/dockerfile.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "base/json.h"
#include "base/strings.h"

namespace berth::builder {
namespace {

const std::set<std::string> kInstructions = {
    "from",       "run",         "cmd",     "entrypoint", "env",     "arg",
    "label",      "expose",      "volume",  "user",       "workdir", "shell",
    "stopsignal", "healthcheck", "onbuild", "copy",       "add",     "maintainer"};

const std::set<std::string> kWithFlags = {"from", "run", "copy", "add", "healthcheck"};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ltrim(const std::string& s) {
  size_t i = s.find_first_not_of(" \t\r");
  return i == std::string::npos ? "" : s.substr(i);
}
std::string rtrim(const std::string& s) {
  size_t i = s.find_last_not_of(" \t\r");
  return i == std::string::npos ? "" : s.substr(0, i + 1);
}

bool is_comment(const std::string& line) {
  std::string t = ltrim(line);
  return !t.empty() && t[0] == '#';
}

// Heredoc markers in `rest`: <<EOF, <<-EOF, <<"EOF", <<'EOF'.
std::vector<Heredoc> find_heredocs(const std::string& rest) {
  std::vector<Heredoc> out;
  for (size_t i = rest.find("<<"); i != std::string::npos; i = rest.find("<<", i + 2)) {
    // Not inside quotes: "a<<b" is a string, not a heredoc.
    int dq = 0, sq = 0;
    for (size_t k = 0; k < i; ++k) {
      if (rest[k] == '"' && sq % 2 == 0) ++dq;
      if (rest[k] == '\'' && dq % 2 == 0) ++sq;
    }
    if (dq % 2 || sq % 2) continue;
    size_t j = i + 2;
    Heredoc h;
    if (j < rest.size() && rest[j] == '-') h.chomp = true, ++j;
    char quote = 0;
    if (j < rest.size() && (rest[j] == '"' || rest[j] == '\'')) quote = rest[j++], h.expand = false;
    size_t k = j;
    while (k < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[k])) || rest[k] == '_'))
      ++k;
    if (k == j) continue;
    if (quote && (k >= rest.size() || rest[k] != quote)) continue;
    h.name = rest.substr(j, k - j);
    out.push_back(h);
  }
  return out;
}

}  // namespace

Error parse_error(const std::string& file, int line, int col, const std::string& message) {
  return make_error(Code::kInvalidArgument,
                    file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message);
}

std::string flag_value(const std::vector<std::string>& flags, const std::string& name,
                       bool* present) {
  std::string value;
  bool found = false;
  for (auto& f : flags) {
    std::string key = "--" + name;
    if (f == key) found = true, value = "true";
    if (f.compare(0, key.size() + 1, key + "=") == 0)
      found = true, value = f.substr(key.size() + 1);
  }
  if (present) *present = found;
  return value;
}

std::vector<std::string> flag_values(const std::vector<std::string>& flags,
                                     const std::string& name) {
  std::vector<std::string> out;
  std::string key = "--" + name + "=";
  for (auto& f : flags)
    if (f.compare(0, key.size(), key) == 0) out.push_back(f.substr(key.size()));
  return out;
}

namespace {

// Splits "CMD rest" into the instruction; flags and JSON form recognised.
Result<Instruction> make_instruction(const std::string& file, int line, const std::string& text) {
  Instruction ins;
  ins.line = line;
  ins.original = text;
  std::string t = ltrim(text);
  size_t sp = t.find_first_of(" \t");
  ins.cmd = lower(t.substr(0, sp));
  std::string rest = sp == std::string::npos ? "" : ltrim(t.substr(sp));
  if (!kInstructions.count(ins.cmd))
    return parse_error(file, line, 1, "unknown instruction: " + t.substr(0, sp));
  if (kWithFlags.count(ins.cmd)) {
    while (rest.compare(0, 2, "--") == 0) {
      size_t end = rest.find_first_of(" \t");
      ins.flags.push_back(rest.substr(0, end));
      rest = end == std::string::npos ? "" : ltrim(rest.substr(end));
    }
  }
  ins.rest = rtrim(rest);
  if (!ins.rest.empty() && ins.rest[0] == '[') {
    auto j = parse_json(ins.rest, "exec form");
    if (j.ok() && j->is_array() &&
        std::all_of(j->begin(), j->end(), [](const Json& v) { return v.is_string(); })) {
      ins.json = true;
      for (auto& v : *j) ins.json_args.push_back(v.get<std::string>());
    }
  }
  return ins;
}

}  // namespace

Result<Instruction> parse_instruction(const std::string& line) {
  return make_instruction("Dockerfile", 1, line);
}

Result<Dockerfile> parse_dockerfile(const std::string& text, const std::string& file) {
  Dockerfile df;
  df.file = file;
  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines[0].compare(0, 3, "\xEF\xBB\xBF") == 0) lines[0].erase(0, 3);
  size_t i = 0;
  // Parser directives: "# key=value" lines at the very top.
  std::set<std::string> seen;
  for (; i < lines.size(); ++i) {
    std::string t = rtrim(lines[i]);
    if (t.empty() || t[0] != '#') break;
    std::string body = ltrim(t.substr(1));
    size_t eq = body.find('=');
    if (eq == std::string::npos) break;
    std::string key = lower(rtrim(body.substr(0, eq)));
    std::string value = ltrim(body.substr(eq + 1));
    if (key != "syntax" && key != "escape" && key != "check") break;
    if (!seen.insert(key).second)
      return parse_error(file, static_cast<int>(i + 1), 1,
                         "only one " + key + " parser directive can be used");
    if (key == "escape") {
      if (value != "\\" && value != "`")
        return parse_error(file, static_cast<int>(i + 1), 1,
                           "invalid escape token '" + value + "' does not match ` or \\");
      df.escape = value[0];
    } else if (key == "syntax") {
      df.syntax = value;
    }
  }
  bool in_stage = false;
  while (i < lines.size()) {
    std::string raw = lines[i];
    int start = static_cast<int>(i + 1);
    ++i;
    if (ltrim(raw).empty() || is_comment(raw)) continue;
    // Continuations: a line ending in the escape char joins the next; comments inside vanish.
    std::string joined;
    std::string cur = rtrim(raw);
    while (!cur.empty() && cur.back() == df.escape) {
      joined += cur.substr(0, cur.size() - 1);
      cur.clear();
      while (i < lines.size()) {
        std::string next = lines[i++];
        if (is_comment(next)) continue;
        if (ltrim(next).empty()) continue;
        cur = rtrim(next);
        break;
      }
    }
    joined += cur;
    BERTH_TRY_ASSIGN(Instruction ins, make_instruction(file, start, ltrim(joined)));
    if (ins.cmd == "run" || ins.cmd == "copy" || ins.cmd == "add") {
      ins.heredocs = find_heredocs(ins.rest);
      for (auto& h : ins.heredocs) {
        bool closed = false;
        while (i < lines.size()) {
          std::string l = lines[i++];
          if (!l.empty() && l.back() == '\r') l.pop_back();
          std::string cmp = l;
          if (h.chomp)
            cmp.erase(0, cmp.find_first_not_of('\t') == std::string::npos
                             ? cmp.size()
                             : cmp.find_first_not_of('\t'));
          if (cmp == h.name) {
            closed = true;
            break;
          }
          h.content += (h.chomp ? cmp : l) + "\n";
        }
        if (!closed) return parse_error(file, start, 1, "unterminated heredoc " + h.name);
      }
    }
    if (ins.cmd == "from") {
      Stage st;
      st.from = ins;
      std::vector<std::string> words;
      for (auto& w : split(ins.rest, ' '))
        if (!trim(w).empty()) words.push_back(trim(w));
      if (words.empty())
        return parse_error(file, start, 1, "FROM requires either one or three arguments");
      if (words.size() == 3 && lower(words[1]) == "as") {
        st.name = lower(words[2]);
      } else if (words.size() != 1) {
        return parse_error(file, start, 1, "FROM requires either one or three arguments");
      }
      st.base = words[0];
      st.platform = flag_value(ins.flags, "platform");
      df.stages.push_back(std::move(st));
      in_stage = true;
      continue;
    }
    if (!in_stage) {
      if (ins.cmd != "arg")
        return parse_error(
            file, start, 1,
            "no build stage in current context (" + ins.original.substr(0, 40) + ")");
      df.meta_args.push_back(std::move(ins));
      continue;
    }
    df.stages.back().instructions.push_back(std::move(ins));
  }
  if (df.stages.empty()) return parse_error(file, 1, 1, "the Dockerfile has no FROM instruction");
  return df;
}

}  // namespace berth::builder
