// /_ping, /version, /info.
#include <poll.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

#include "api/server/routes.h"
#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/time.h"
#include "model/system_json.h"

namespace berth::api::server {

namespace {
std::string kernel_version() {
  struct utsname u;
  return ::uname(&u) == 0 ? u.release : "";
}
std::string go_arch() {
  struct utsname u;
  if (::uname(&u) != 0) return "amd64";
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  return m;
}
long long mem_total() {
  return static_cast<long long>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGE_SIZE);
}
std::string os_name() {
  auto text = read_file("/etc/os-release");
  if (!text) return "Linux";
  auto pos = text->find("PRETTY_NAME=\"");
  if (pos == std::string::npos) return "Linux";
  pos += 13;
  return text->substr(pos, text->find('"', pos) - pos);
}
std::string cgroup_version() {
  return path_exists("/sys/fs/cgroup/cgroup.controllers") ? "2" : "1";
}

model::SystemVersion system_version() {
  model::SystemVersion v;
  v.platform.name = "Berth";
  model::ComponentVersion engine;
  engine.name = "Engine";
  engine.version = kBerthVersion;
  engine.details = {{"ApiVersion", kApiVersion},
                    {"Arch", go_arch()},
                    {"BuildTime", ""},
                    {"Experimental", "false"},
                    {"GitCommit", ""},
                    {"GoVersion", "n/a"},
                    {"KernelVersion", kernel_version()},
                    {"MinAPIVersion", kMinApiVersion},
                    {"Os", "linux"}};
  v.components = {engine};
  v.version = kBerthVersion;
  v.api_version = kApiVersion;
  v.min_api_version = kMinApiVersion;
  v.go_version = "n/a";
  v.os = "linux";
  v.arch = go_arch();
  v.kernel_version = kernel_version();
  return v;
}

model::SystemInfo system_info(engine::Engine& engine) {
  auto counts = engine.counts();
  auto images = engine.images().list();
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  model::SystemInfo info;
  info.id = "berth";
  info.containers = counts.total;
  info.containers_running = counts.running;
  info.containers_paused = counts.paused;
  info.containers_stopped = counts.stopped;
  info.images = images ? static_cast<int64_t>(images->size()) : 0;
  info.driver = "overlay2";
  info.driver_status = {model::List<std::string>{"Backing Filesystem", "extfs"}};
  info.docker_root_dir = engine.options().data_root;
  info.plugins.volume = {"local"};
  info.plugins.network = {"null"};
  info.plugins.log = {"json-file", "local"};
  info.memory_limit = true;
  info.cpu_cfs_period = true;
  info.cpu_cfs_quota = true;
  info.cpu_shares = true;
  info.cpu_set = true;
  info.pids_limit = true;
  info.ipv4_forwarding = true;
  info.system_time = format_rfc3339_nano(now_nanos());
  info.logging_driver = engine.options().log_defaults.driver;
  info.cgroup_driver = "cgroupfs";
  info.cgroup_version = cgroup_version();
  info.kernel_version = kernel_version();
  info.operating_system = os_name();
  info.os_type = "linux";
  info.architecture = go_arch() == "amd64" ? "x86_64" : go_arch();
  info.ncpu = ::sysconf(_SC_NPROCESSORS_ONLN);
  info.mem_total = mem_total();
  info.index_server_address = "https://index.docker.io/v1/";
  auto& registry = info.registry_config.emplace();
  registry.insecure_registry_cidrs = {"127.0.0.0/8"};
  registry.index_configs.set_empty();
  registry.mirrors.set_empty();
  info.name = host;
  info.labels.set_empty();
  info.server_version = kBerthVersion;
  info.runtimes["berth"].path = "berth-runtime";
  info.default_runtime = "berth";
  info.swarm.local_node_state = model::LocalNodeState::kInactive;
  info.live_restore_enabled = true;
  info.init_binary = "docker-init";
  info.security_options.set_empty();
  info.warnings.set_empty();
  return info;
}

Status ping(http::Request& request, http::ResponseWriter& w, const Params&) {
  auto& h = w.headers();
  h.set("Api-Version", kApiVersion);
  h.set("Ostype", "linux");
  h.set("Docker-Experimental", "false");
  h.set("Builder-Version", "1");
  h.set("Swarm", "inactive");
  h.set("Cache-Control", "no-cache, no-store, must-revalidate");
  h.set("Pragma", "no-cache");
  if (request.method == "HEAD") return w.send(200, "", "text/plain; charset=utf-8");
  return w.send(200, "OK", "text/plain; charset=utf-8");
}
}  // namespace

Status check_for_json(const http::Request& request) {
  std::string ct = request.headers.get("Content-Type");
  if (ct.empty()) {
    // Go's ContentLength: 0 without a body; chunked is -1 (unknown), so it needs the header.
    std::string length = request.headers.get("Content-Length");
    bool chunked =
        to_lower(request.headers.get("Transfer-Encoding")).find("chunked") != std::string::npos;
    if (!chunked && (length.empty() || trim(length) == "0")) return ok_status();
    return make_error(Code::kInvalidArgument,
                      "malformed Content-Type header (): mime: no media type");
  }
  // mime.ParseMediaType: the type before any parameters, case-insensitive.
  std::string type = to_lower(trim(ct.substr(0, ct.find(';'))));
  if (type.empty())
    return make_error(Code::kInvalidArgument,
                      "malformed Content-Type header (" + ct + "): mime: no media type");
  if (type != "application/json")
    return make_error(Code::kInvalidArgument,
                      "unsupported Content-Type header (" + ct + "): must be 'application/json'");
  return ok_status();
}

Result<std::string> json_body_text(http::Request& request) {
  BERTH_TRY(check_for_json(request));
  auto body = request.body.read_all(kMaxJsonBody);
  if (!body && body.error().code == Code::kInvalidArgument)
    return make_error(Code::kInvalidArgument, "request body too large: more than " +
                                                  std::to_string(kMaxJsonBody) + " bytes");
  return body;
}

Result<Json> json_body(http::Request& request) {
  BERTH_TRY_ASSIGN(std::string body, json_body_text(request));
  if (trim(body).empty()) return Json::object();
  return parse_json(body, "request body");
}

Result<Json> filters_param(const http::Request& request) {
  std::string f = request.query_value("filters");
  if (f.empty()) return Json::object();
  return parse_json(f, "filters");
}

bool peer_alive(int fd) {
  struct pollfd p {
    fd, POLLIN | POLLRDHUP, 0
  };
  if (::poll(&p, 1, 0) <= 0) return true;
  if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return false;
  if (p.revents & POLLIN) {
    char c;
    return ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) != 0;
  }
  return true;
}

void add_system_routes(Router& router, engine::Engine& engine) {
  router.add("GET", "/_ping", ping);
  router.add("HEAD", "/_ping", ping);
  router.add("GET", "/version", [](http::Request&, http::ResponseWriter& w, const Params&) {
    return send_json(w, 200, model::dump(system_version()));
  });
  router.add("GET", "/info",
             [&engine](http::Request&, http::ResponseWriter& w, const Params&) -> Status {
               return send_json(w, 200, model::dump(system_info(engine)));
             });
}

void add_all_routes(Router& router, engine::Engine& engine) {
  add_system_routes(router, engine);
  add_container_routes(router, engine);
  add_container_manage_routes(router, engine);
  add_exec_routes(router, engine);
  add_container_files_routes(router, engine);
  add_network_routes(router, engine);
  add_volume_routes(router, engine);
  add_image_routes(router, engine);
  add_commit_routes(router, engine);
  add_build_routes(router, engine);
  add_swarm_routes(router, engine);
}

}  // namespace berth::api::server
