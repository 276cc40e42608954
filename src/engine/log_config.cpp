#include "engine/log_config.h"

#include <cmath>
#include <cstdlib>

#include "base/strings.h"

namespace berth::engine {

namespace {

Error invalid(const std::string& message) { return make_error(Code::kInvalidArgument, message); }

// Go's strconv.Atoi and strconv.ParseBool, with their error texts.
Result<long long> go_atoi(const std::string& text) {
  long long n;
  if (!parse_int64(text, &n))
    return invalid("strconv.Atoi: parsing \"" + text + "\": invalid syntax");
  return n;
}

Result<bool> go_parse_bool(const std::string& text) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"})
    if (text == t) return true;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
    if (text == f) return false;
  return invalid("strconv.ParseBool: parsing \"" + text + "\": invalid syntax");
}

const char* kCommonOpts[] = {"labels", "labels-regex", "env", "env-regex", "tag"};

bool is_common(const std::string& key) {
  for (const char* k : kCommonOpts)
    if (key == k) return true;
  return false;
}

// jsonfilelog.ValidateLogOpt, then the values jsonfilelog.New checks.
Status validate_json_file(const LogOpts& opts) {
  for (auto& [key, value] : opts)
    if (key != "max-file" && key != "max-size" && key != "compress" && !is_common(key))
      return invalid("unknown log opt '" + key + "' for json-file log driver");
  int64_t size = -1;
  long long files = 1;
  if (auto it = opts.find("max-size"); it != opts.end()) {
    BERTH_TRY_ASSIGN(size, parse_human_size(it->second));
    if (size <= 0) return invalid("max-size must be a positive number");
  }
  if (auto it = opts.find("max-file"); it != opts.end()) {
    BERTH_TRY_ASSIGN(files, go_atoi(it->second));
    if (files < 1) return invalid("max-file cannot be less than 1");
  }
  if (auto it = opts.find("compress"); it != opts.end()) {
    BERTH_TRY_ASSIGN(bool compress, go_parse_bool(it->second));
    if (compress && (files == 1 || size == -1))
      return invalid("compress cannot be true when max-file is less than 2 or max-size is not set");
    // Rotated json-file logs stay plain text in Berth: the shim links no zlib (it stays small)
    // and readers outside the daemon (tail, grep) keep working.
    if (compress) return invalid("compress is not supported by the json-file log driver");
  }
  return ok_status();
}

// local.ValidateLogOpt, then local's newConfig.
Status validate_local(const LogOpts& opts) {
  for (auto& [key, value] : opts)
    if (key != "max-file" && key != "max-size" && key != "compress" && !is_common(key))
      return invalid("unknown log opt '" + key + "' for log driver local");
  long long files = 5;
  bool compress = true;
  if (auto it = opts.find("max-size"); it != opts.end()) {
    auto size = parse_human_size(it->second);
    if (!size)
      return invalid("invalid value for max-size: " + it->second + ": " + size.error().message);
    if (*size < 0) return invalid("max-size must not be negative");
  }
  if (auto it = opts.find("max-file"); it != opts.end()) {
    auto n = go_atoi(it->second);
    if (!n) return invalid("invalid value for max-file: " + it->second + ": " + n.error().message);
    files = *n;
    if (files < 0) return invalid("max-file must not be negative");
  }
  if (auto it = opts.find("compress"); it != opts.end()) {
    auto b = go_parse_bool(it->second);
    if (!b) return invalid("invalid boolean value for compress: " + b.error().message);
    compress = *b;
  }
  if (compress && files <= 1)
    return invalid("compression cannot be enabled when max file count is 1");
  return ok_status();
}

LogOpts opts_of(const model::LogConfig& log) {
  return LogOpts(log.config.begin(), log.config.end());
}

}  // namespace

Result<int64_t> parse_human_size(const std::string& text) {
  auto bad_size = [&] { return invalid("invalid size: '" + text + "'"); };
  size_t sep = text.find_last_of("0123456789. ");
  if (sep == std::string::npos) return bad_size();
  std::string num = text[sep] == ' ' ? text.substr(0, sep) : text.substr(0, sep + 1);
  std::string sfx = text.substr(sep + 1);
  char* end = nullptr;
  double size = num.empty() ? NAN : std::strtod(num.c_str(), &end);
  if (num.empty() || end != num.c_str() + num.size() || std::isnan(size))
    return invalid("strconv.ParseFloat: parsing \"" + num + "\": invalid syntax");
  if (size < 0) return bad_size();
  if (sfx.empty()) return static_cast<int64_t>(size);
  std::string lower = to_lower(sfx);
  auto bad_suffix = [&] { return invalid("invalid suffix: '" + lower + "'"); };
  if (lower.size() > 3) return invalid("invalid suffix: '" + sfx + "'");
  if (lower[0] == 'b') {
    if (lower.size() > 1) return bad_suffix();
    return static_cast<int64_t>(size);
  }
  static const std::string kUnits = "kmgtp";
  size_t u = kUnits.find(lower[0]);
  if (u == std::string::npos) return bad_suffix();
  if ((lower.size() == 2 && lower[1] != 'b') || (lower.size() == 3 && lower.substr(1) != "ib"))
    return bad_suffix();
  return static_cast<int64_t>(size * std::pow(1000.0, static_cast<double>(u + 1)));
}

Status validate_log_config(const std::string& driver, const LogOpts& opts) {
  if (driver == "none") return ok_status();
  // Options every driver takes (logger.builtInLogOpts).
  auto mode = opts.find("mode");
  std::string m = mode == opts.end() ? "" : mode->second;
  if (m != "" && m != "blocking" && m != "non-blocking")
    return invalid("logger: logging mode not supported: " + m);
  if (auto it = opts.find("max-buffer-size"); it != opts.end()) {
    if (m != "non-blocking")
      return invalid("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
  }
  LogOpts own;
  for (auto& [k, v] : opts)
    if (k != "mode" && k != "max-buffer-size") own[k] = v;
  if (driver == "json-file") return validate_json_file(own);
  if (driver == "local") return validate_local(own);
  return invalid("logger: no log driver named '" + driver + "' is registered");
}

Status merge_log_config(model::HostConfig& host_config, const LogDefaults& defaults) {
  model::LogConfig& log = host_config.log_config;
  std::string driver = log.type.empty() ? defaults.driver : log.type;
  LogOpts opts = opts_of(log);
  if (driver == defaults.driver)
    for (auto& [k, v] : defaults.opts) opts.emplace(k, v);
  BERTH_TRY(validate_log_config(driver, opts));
  log.type = driver;
  log.config = model::Map<std::string>(std::move(opts));
  return ok_status();
}

LogFile log_file(const model::HostConfig& host_config, const std::string& container_dir,
                 const std::string& id) {
  LogFile f;
  f.driver = host_config.log_config.type.empty() ? "json-file" : host_config.log_config.type;
  LogOpts opts = opts_of(host_config.log_config);
  auto size = [&](const char* key) -> int64_t {
    auto it = opts.find(key);
    if (it == opts.end()) return -1;
    auto n = parse_human_size(it->second);
    return n ? *n : -1;
  };
  auto count = [&](const char* key, int fallback) {
    auto it = opts.find(key);
    long long n;
    return it != opts.end() && parse_int64(it->second, &n) ? static_cast<int>(n) : fallback;
  };
  if (f.driver == "json-file") {
    f.path = container_dir + "/" + id + "-json.log";
    f.max_size = size("max-size");
    f.max_files = count("max-file", 1);
  } else if (f.driver == "local") {
    f.path = container_dir + "/local-logs/container.log";
    f.max_size = opts.count("max-size") ? size("max-size") : 20 * 1024 * 1024;
    if (f.max_size == 0) f.max_size = -1;
    f.max_files = count("max-file", 5);
  }
  if (f.max_files < 1) f.max_files = 1;
  return f;
}

Status check_log_readable(const model::HostConfig& host_config) {
  const std::string& driver = host_config.log_config.type;
  if (driver == "json-file" || driver == "local" || driver.empty()) return ok_status();
  return make_error(Code::kNotImplemented, "configured logging driver does not support reading");
}

}  // namespace berth::engine
