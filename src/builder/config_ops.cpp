// Metadata instructions on Docker's container Config (see config_ops.h); behaviour as in
// moby's builder/dockerfile/dispatchers.go.
#include "builder/config_ops.h"

#include <set>

#include "base/strings.h"

namespace berth::builder {
namespace {

const std::set<std::string> kConfigInstructions = {
    "env",   "label",      "maintainer",  "expose",  "volume", "user",      "workdir",
    "shell", "stopsignal", "healthcheck", "onbuild", "cmd",    "entrypoint"};

bool parse_long(const std::string& s, long* out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9)
    return false;
  *out = std::strtol(s.c_str(), nullptr, 10);
  return true;
}

Error ins_error(const Instruction& ins, const std::string& msg) {
  return make_error(Code::kInvalidArgument, "line " + std::to_string(ins.line) + ": " + msg);
}

// "k=v k2=v2" or the legacy "k v" form (ENV, LABEL).
Result<std::vector<std::pair<std::string, std::string>>> key_values(const Instruction& ins,
                                                                    const Vars& vars, char escape,
                                                                    bool legacy_ok) {
  std::string name = ins.cmd == "env" ? "ENV" : "LABEL";
  BERTH_TRY_ASSIGN(auto raw, split_words(ins.rest, escape));
  std::vector<std::pair<std::string, std::string>> out;
  if (raw.empty()) return ins_error(ins, name + " requires at least one argument");
  if (legacy_ok && raw[0].find('=') == std::string::npos) {
    // ENV key value...: the value is the rest of the line.
    std::string rest = trim(ins.rest.substr(ins.rest.find_first_of(" \t") == std::string::npos
                                                ? ins.rest.size()
                                                : ins.rest.find_first_of(" \t")));
    if (rest.empty()) return ins_error(ins, name + " must have two arguments");
    BERTH_TRY_ASSIGN(std::string v, expand_word(rest, vars, escape));
    out.emplace_back(raw[0], v);
    return out;
  }
  // Re-split with expansion word by word, so quotes inside values survive.
  BERTH_TRY_ASSIGN(auto words, expand_words(ins.rest, vars, escape));
  for (auto& w : words) {
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0)
      return ins_error(ins, name + " names can not be blank or missing '=': " + w);
    out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
  }
  return out;
}

model::List<std::string> shell_of(const model::ImageConfig& config) {
  if (!config.shell.empty()) return config.shell;
  return {"/bin/sh", "-c"};
}

model::List<std::string> command(const Instruction& ins, const model::ImageConfig& config) {
  if (ins.json) return model::List<std::string>(ins.json_args);
  model::List<std::string> cmd = shell_of(config);
  cmd.push_back(ins.rest);
  return cmd;
}

std::string clean_path(const std::string& p) {
  std::vector<std::string> parts;
  for (auto& s : split(p, '/')) {
    if (s.empty() || s == ".") continue;
    if (s == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(s);
  }
  std::string out;
  for (auto& s : parts) out += "/" + s;
  return out.empty() ? "/" : out;
}

}  // namespace

Result<int64_t> parse_go_duration(const std::string& text) {
  if (text == "0") return int64_t{0};
  int64_t total = 0;
  size_t i = 0;
  if (text.empty()) return make_error(Code::kInvalidArgument, "invalid duration " + text);
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.'))
      ++j;
    if (j == i)
      return make_error(Code::kInvalidArgument, "time: invalid duration \"" + text + "\"");
    double num = std::strtod(text.substr(i, j - i).c_str(), nullptr);
    size_t k = j;
    while (k < text.size() && std::isalpha(static_cast<unsigned char>(text[k]))) ++k;
    std::string unit = text.substr(j, k - j);
    double mult = unit == "ns"   ? 1
                  : unit == "us" ? 1e3
                  : unit == "ms" ? 1e6
                  : unit == "s"  ? 1e9
                  : unit == "m"  ? 60e9
                  : unit == "h"  ? 3600e9
                                 : -1;
    if (mult < 0)
      return make_error(Code::kInvalidArgument, "time: missing unit in duration \"" + text + "\"");
    total += static_cast<int64_t>(num * mult);
    i = k;
  }
  return total;
}

bool is_config_instruction(const std::string& cmd) { return kConfigInstructions.count(cmd) > 0; }

Vars env_vars(const model::List<std::string>& env) {
  Vars v;
  for (auto& e : env) {
    size_t eq = e.find('=');
    if (eq != std::string::npos) v[e.substr(0, eq)] = e.substr(eq + 1);
  }
  return v;
}

void set_env(model::List<std::string>& env, const std::string& key, const std::string& value) {
  model::List<std::string> out;
  bool replaced = false;
  for (auto& s : env) {
    if (s.compare(0, key.size() + 1, key + "=") == 0 || s == key) {
      if (!replaced) out.push_back(key + "=" + value);
      replaced = true;
    } else {
      out.push_back(s);
    }
  }
  if (!replaced) out.push_back(key + "=" + value);
  env = std::move(out);
}

Status apply_config_instruction(const Instruction& ins, ConfigState& state, const Vars& vars,
                                char escape) {
  model::ImageConfig& c = state.config;
  const std::string& cmd = ins.cmd;
  if (cmd == "env") {
    BERTH_TRY_ASSIGN(auto kvs, key_values(ins, vars, escape, true));
    for (auto& [k, v] : kvs) set_env(c.env, k, v);
  } else if (cmd == "label") {
    BERTH_TRY_ASSIGN(auto kvs, key_values(ins, vars, escape, true));
    for (auto& [k, v] : kvs) c.labels[k] = v;
  } else if (cmd == "maintainer") {
    if (ins.rest.empty()) return ins_error(ins, "MAINTAINER requires exactly one argument");
    c.labels["maintainer"] = ins.rest;
  } else if (cmd == "expose") {
    BERTH_TRY_ASSIGN(auto words, expand_words(ins.rest, vars, escape));
    if (words.empty()) return ins_error(ins, "EXPOSE requires at least one argument");
    for (auto& w : words) {
      std::string port = w, proto = "tcp";
      if (size_t s = w.find('/'); s != std::string::npos)
        port = w.substr(0, s), proto = w.substr(s + 1);
      size_t dash = port.find('-');
      long lo = -1, hi = -1;
      if (!parse_long(port.substr(0, dash), &lo) ||
          (dash != std::string::npos && !parse_long(port.substr(dash + 1), &hi)))
        return ins_error(ins, "invalid containerPort: " + port);
      if (dash == std::string::npos) hi = lo;
      if (lo < 0 || hi > 65535 || hi < lo) return ins_error(ins, "invalid containerPort: " + port);
      for (long p = lo; p <= hi; ++p) c.exposed_ports[std::to_string(p) + "/" + proto] = {};
    }
  } else if (cmd == "volume") {
    std::vector<std::string> vols;
    if (ins.json) {
      for (auto& a : ins.json_args) {
        BERTH_TRY_ASSIGN(std::string v, expand_word(a, vars, escape));
        vols.push_back(v);
      }
    } else {
      BERTH_TRY_ASSIGN(vols, expand_words(ins.rest, vars, escape));
    }
    if (vols.empty()) return ins_error(ins, "VOLUME requires at least one argument");
    for (auto& v : vols) {
      if (trim(v).empty()) return ins_error(ins, "VOLUME specified can not be an empty string");
      c.volumes[v] = {};
    }
  } else if (cmd == "user") {
    BERTH_TRY_ASSIGN(std::string u, expand_word(ins.rest, vars, escape));
    if (u.empty()) return ins_error(ins, "USER requires exactly one argument");
    c.user = u;
  } else if (cmd == "workdir") {
    BERTH_TRY_ASSIGN(std::string w, expand_word(ins.rest, vars, escape));
    if (w.empty()) return ins_error(ins, "WORKDIR requires exactly one argument");
    std::string cur = c.working_dir;
    c.working_dir = clean_path(w[0] == '/' ? w : cur + "/" + w);
  } else if (cmd == "shell") {
    if (!ins.json || ins.json_args.empty())
      return ins_error(ins, "SHELL requires the arguments to be in JSON form");
    c.shell = ins.json_args;
  } else if (cmd == "stopsignal") {
    BERTH_TRY_ASSIGN(std::string s, expand_word(ins.rest, vars, escape));
    if (s.empty()) return ins_error(ins, "STOPSIGNAL requires exactly one argument");
    c.stop_signal = s;
  } else if (cmd == "healthcheck") {
    std::vector<std::string> words;
    BERTH_TRY_ASSIGN(words, split_words(ins.rest, escape));
    if (words.empty()) return ins_error(ins, "HEALTHCHECK requires an argument");
    std::string kind = words[0];
    for (auto& ch : kind) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (kind == "NONE") {
      if (words.size() > 1 || !ins.flags.empty())
        return ins_error(ins, "HEALTHCHECK NONE takes no arguments");
      c.healthcheck.emplace().test = {"NONE"};
    } else if (kind == "CMD") {
      model::HealthConfig hc;
      std::string rest = trim(ins.rest.substr(3));
      Instruction sub = ins;
      sub.rest = rest;
      auto parsed = parse_instruction("CMD " + rest);
      if (parsed.ok() && parsed->json) {
        hc.test = {"CMD"};
        for (auto& a : parsed->json_args) hc.test.push_back(a);
      } else {
        hc.test = {"CMD-SHELL", rest};
      }
      for (auto [flag, field] :
           std::vector<std::pair<const char*, int64_t*>>{{"interval", &hc.interval},
                                                         {"timeout", &hc.timeout},
                                                         {"start-period", &hc.start_period},
                                                         {"start-interval", &hc.start_interval}}) {
        bool present = false;
        std::string v = flag_value(ins.flags, flag, &present);
        if (!present) continue;
        BERTH_TRY_ASSIGN(*field, parse_go_duration(v));
      }
      bool present = false;
      std::string retries = flag_value(ins.flags, "retries", &present);
      if (present) {
        long n = 0;
        if (!parse_long(retries, &n)) return ins_error(ins, "invalid --retries " + retries);
        hc.retries = n;
      }
      c.healthcheck = std::move(hc);
    } else {
      return ins_error(ins, "Unknown type \"" + words[0] + "\" in HEALTHCHECK (try CMD)");
    }
  } else if (cmd == "onbuild") {
    std::string t = trim(ins.rest);
    std::string first = t.substr(0, t.find_first_of(" \t"));
    for (auto& ch : first) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (first == "ONBUILD")
      return ins_error(ins, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    if (first == "FROM" || first == "MAINTAINER")
      return ins_error(ins, first + " isn't allowed as an ONBUILD trigger");
    c.on_build.push_back(t);
  } else if (cmd == "cmd") {
    c.cmd = command(ins, c);
    state.cmd_set = true;
  } else if (cmd == "entrypoint") {
    if (!ins.json && ins.rest.empty())
      c.entrypoint.set_null();
    else
      c.entrypoint = command(ins, c);
    if (!state.cmd_set) c.cmd.set_null();
  } else {
    return ins_error(ins, "unexpected instruction " + cmd);
  }
  return ok_status();
}

Result<model::ImageConfig> apply_changes(model::ImageConfig config,
                                         const std::vector<std::string>& changes) {
  ConfigState st;
  st.config = std::move(config);
  st.cmd_set = true;  // commit --change ENTRYPOINT keeps the container's Cmd, as Docker does
  for (auto& line : changes) {
    if (trim(line).empty()) continue;
    BERTH_TRY_ASSIGN(Instruction ins, parse_instruction(line));
    if (!is_config_instruction(ins.cmd) || ins.cmd == "maintainer")
      return make_error(Code::kInvalidArgument, ins.cmd + " is not a valid change command");
    BERTH_TRY(apply_config_instruction(ins, st, env_vars(st.config.env), '\\'));
  }
  return st.config;
}

}  // namespace berth::builder
