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

Result<Json> json_body(http::Request& request) {
  BERTH_TRY_ASSIGN(std::string body, request.body.read_all(16 << 20));
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
  router.add(
      "GET", "/version", [](http::Request&, http::ResponseWriter& w, const Params&) -> Status {
        Json details{{"ApiVersion", kApiVersion},
                     {"Arch", go_arch()},
                     {"BuildTime", ""},
                     {"Experimental", "false"},
                     {"GitCommit", ""},
                     {"GoVersion", "n/a"},
                     {"KernelVersion", kernel_version()},
                     {"MinAPIVersion", kMinApiVersion},
                     {"Os", "linux"}};
        Json v{
            {"Platform", {{"Name", "Berth"}}},
            {"Components",
             Json::array({{{"Name", "Engine"}, {"Version", kBerthVersion}, {"Details", details}}})},
            {"Version", kBerthVersion},
            {"ApiVersion", kApiVersion},
            {"MinAPIVersion", kMinApiVersion},
            {"GitCommit", ""},
            {"GoVersion", "n/a"},
            {"Os", "linux"},
            {"Arch", go_arch()},
            {"KernelVersion", kernel_version()},
            {"BuildTime", ""}};
        return send_json(w, 200, dump_json(v));
      });
  router.add(
      "GET", "/info", [&engine](http::Request&, http::ResponseWriter& w, const Params&) -> Status {
        auto counts = engine.counts();
        auto images = engine.images().list();
        char host[256] = {0};
        ::gethostname(host, sizeof host - 1);
        Json info{{"ID", "berth"},
                  {"Containers", counts.total},
                  {"ContainersRunning", counts.running},
                  {"ContainersPaused", counts.paused},
                  {"ContainersStopped", counts.stopped},
                  {"Images", images ? images->size() : 0},
                  {"Driver", "overlay2"},
                  {"DriverStatus", Json::array({Json::array({"Backing Filesystem", "extfs"})})},
                  {"DockerRootDir", engine.options().data_root},
                  {"Plugins",
                   {{"Volume", {"local"}},
                    {"Network", {"null"}},
                    {"Authorization", nullptr},
                    {"Log", {"json-file", "local"}}}},
                  {"MemoryLimit", true},
                  {"SwapLimit", false},
                  {"CpuCfsPeriod", true},
                  {"CpuCfsQuota", true},
                  {"CPUShares", true},
                  {"CPUSet", true},
                  {"PidsLimit", true},
                  {"IPv4Forwarding", true},
                  {"Debug", false},
                  {"NFd", 0},
                  {"NGoroutines", 0},
                  {"SystemTime", format_rfc3339_nano(now_nanos())},
                  {"LoggingDriver", engine.options().log_defaults.driver},
                  {"CgroupDriver", "cgroupfs"},
                  {"CgroupVersion", cgroup_version()},
                  {"NEventsListener", 0},
                  {"KernelVersion", kernel_version()},
                  {"OperatingSystem", os_name()},
                  {"OSVersion", ""},
                  {"OSType", "linux"},
                  {"Architecture", go_arch() == "amd64" ? "x86_64" : go_arch()},
                  {"NCPU", ::sysconf(_SC_NPROCESSORS_ONLN)},
                  {"MemTotal", mem_total()},
                  {"IndexServerAddress", "https://index.docker.io/v1/"},
                  {"RegistryConfig",
                   {{"InsecureRegistryCIDRs", {"127.0.0.0/8"}},
                    {"IndexConfigs", Json::object()},
                    {"Mirrors", Json::array()}}},
                  {"GenericResources", nullptr},
                  {"HttpProxy", ""},
                  {"HttpsProxy", ""},
                  {"NoProxy", ""},
                  {"Name", host},
                  {"Labels", Json::array()},
                  {"ExperimentalBuild", false},
                  {"ServerVersion", kBerthVersion},
                  {"Runtimes", {{"berth", {{"path", "berth-runtime"}}}}},
                  {"DefaultRuntime", "berth"},
                  {"Swarm",
                   {{"NodeID", ""},
                    {"NodeAddr", ""},
                    {"LocalNodeState", "inactive"},
                    {"ControlAvailable", false},
                    {"Error", ""},
                    {"RemoteManagers", nullptr}}},
                  {"LiveRestoreEnabled", true},
                  {"Isolation", ""},
                  {"InitBinary", "docker-init"},
                  {"SecurityOptions", Json::array()},
                  {"Warnings", Json::array()}};
        return send_json(w, 200, dump_json(info));
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
}

}  // namespace berth::api::server
