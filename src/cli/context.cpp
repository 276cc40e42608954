#include "cli/context.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "base/file.h"
#include "base/process.h"
#include "base/strings.h"

namespace berth::cli {

namespace {

// "1.45" -> {1, 45}
std::pair<int, int> parse_version(const std::string& v) {
  auto parts = split(v, '.');
  long long major = 0, minor = 0;
  if (parts.size() >= 2 && parse_int64(parts[0], &major) && parse_int64(parts[1], &minor))
    return {static_cast<int>(major), static_cast<int>(minor)};
  return {0, 0};
}

std::string find_berthd() {
  std::string candidate = self_executable_dir() + "/berthd";
  if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  const char* path = std::getenv("PATH");
  for (const std::string& dir : split(path ? path : "/usr/local/bin:/usr/bin:/bin", ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/berthd";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

Status start_daemon() {
  std::string berthd = find_berthd();
  if (berthd.empty())
    return make_error(Code::kNotFound, "berthd not found next to the berth binary or on PATH");
  UniqueFd log(::open("/var/log/berthd.log", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
  if (!log) {
    (void)make_dirs("/var/lib/berth", 0711);
    log.reset(::open("/var/lib/berth/berthd.log", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
  }
  SpawnOptions options;
  options.argv = {berthd};
  options.stdout_fd = log.get();
  options.stderr_fd = log.get();
  options.new_session = true;
  BERTH_TRY_ASSIGN(Child child, spawn(options));
  child.release();  // the daemon outlives this command
  return ok_status();
}

Result<api::ClientResponse> ping(api::Client& client) { return client.request("GET", "/_ping"); }

}  // namespace

Status Context::connect() {
  if (connected) return ok_status();
  client = api::Client(host);
  auto resp = ping(client);
  if (!resp.ok() && resp.error().code == Code::kUnavailable && !host_given) {
    auto started = start_daemon();
    if (!started.ok()) {
      print_error("Cannot connect to the Berth daemon at " + host +
                  ". Is the berth daemon running? (starting it: " + started.error().message + ")");
      return std::move(started).error();
    }
    for (int i = 0; i < 100; ++i) {  // up to 10 s
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      resp = ping(client);
      if (resp.ok()) break;
    }
  }
  if (!resp.ok()) {
    print_error("Cannot connect to the Berth daemon at " + host + ". Is the berth daemon running?");
    return std::move(resp).error();
  }
  std::string server = resp->headers.get("Api-Version");
  if (server.empty()) server = "1.24";
  api_version =
      parse_version(server) < parse_version(kClientApiVersion) ? server : kClientApiVersion;
  client.set_version_prefix("/v" + api_version);
  connected = true;
  return ok_status();
}

Result<api::ClientResponse> Context::call(const std::string& method, const std::string& path,
                                          const std::string& body) {
  auto resp = client.request(method, path, body);
  if (!resp.ok()) print_error("error during connect: " + resp.error().message);
  return resp;
}

void print_error(const std::string& message) {
  std::string line = message + "\n";
  (void)write_all(2, line);
}

void print_daemon_error(int status, const std::string& body) {
  print_error("Error response from daemon: " + api::Client::error_message(status, body));
}

void print_daemon_error(const api::ClientResponse& resp) {
  print_daemon_error(resp.status, resp.body);
}

int flag_error(const std::string& command, const Error& error) {
  print_error(error.message + "\nSee 'berth " + command + " --help'.");
  return 125;
}

int parse_flags(Flags& flags, const std::string& command, const std::string& usage,
                const std::vector<std::string>& args, bool interspersed) {
  auto st = flags.parse(args, interspersed);
  if (!st.ok()) return flag_error(command, st.error());
  if (flags.help()) {
    std::string text = "\nUsage:  berth " + usage + "\n\n" + flags.usage();
    (void)write_all(1, text);
    return 0;
  }
  return -1;
}

Result<Json> parse_body(const std::string& body, const std::string& what) {
  auto j = parse_json(body, what);
  if (!j.ok()) print_error("error reading " + what + ": " + j.error().message);
  return j;
}

std::string with_default_tag(const std::string& image) {
  if (image.find('@') != std::string::npos) return image;
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) return image;
  return image + ":latest";
}

bool is_success(int status) { return status >= 200 && status < 300; }

}  // namespace berth::cli
