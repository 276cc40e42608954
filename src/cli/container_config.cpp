#include "cli/container_config.h"

#include <cstdlib>

#include "base/strings.h"

namespace berth::cli {

void add_container_flags(Flags& flags, bool run) {
  if (run) {
    flags.add_bool("detach", 'd', "Run container in background and print container ID");
    flags.add_bool("rm", 0, "Automatically remove the container and its volumes when it exits");
    flags.add_bool("sig-proxy", 0, "Proxy received signals to the process");
  }
  flags.add_bool("interactive", 'i', "Keep STDIN open even if not attached");
  flags.add_bool("tty", 't', "Allocate a pseudo-TTY");
  flags.add_list("env", 'e', "Set environment variables");
  flags.add_list("env-file", 0, "Read in a file of environment variables");
  flags.add_string("workdir", 'w', "", "Working directory inside the container");
  flags.add_string("user", 'u', "", "Username or UID (format: <name|uid>[:<group|gid>])");
  flags.add_string("name", 0, "", "Assign a name to the container");
  flags.add_string("hostname", 'h', "", "Container host name");
  flags.add_string("entrypoint", 0, "", "Overwrite the default ENTRYPOINT of the image");
  flags.add_list("label", 'l', "Set meta data on a container");
  flags.add_list("volume", 'v', "Bind mount a volume");
  flags.add_list("publish", 'p', "Publish a container's port(s) to the host");
  flags.add_string("network", 0, "", "Connect a container to a network");
  flags.add_string("restart", 0, "no", "Restart policy to apply when a container exits");
  flags.add_bool("privileged", 0, "Give extended privileges to this container");
  flags.add_bool("init", 0, "Run an init inside the container");
  flags.add_bool("read-only", 0, "Mount the container's root filesystem as read only");
  flags.add_string("stop-signal", 0, "", "Signal to stop the container");
}

namespace {

Status add_env(Json& env, const std::string& item) {
  if (item.empty()) return make_error(Code::kInvalidArgument, "invalid environment variable: ");
  if (item.find('=') != std::string::npos) {
    env.push_back(item);
  } else if (const char* value = std::getenv(item.c_str())) {
    env.push_back(item + "=" + value);  // "-e VAR" takes the client's value; unset is dropped
  }
  return ok_status();
}

Status add_publish(Json& exposed, Json& bindings, const std::string& spec) {
  // [ip:][host_port:]container_port[/proto]
  std::string rest = spec;
  std::string proto = "tcp";
  size_t slash = rest.rfind('/');
  if (slash != std::string::npos) {
    proto = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string ip, host_port, container_port;
  size_t last = rest.rfind(':');
  if (last == std::string::npos) {
    container_port = rest;
  } else {
    container_port = rest.substr(last + 1);
    std::string front = rest.substr(0, last);
    size_t mid = front.rfind(':');
    if (mid == std::string::npos) {
      host_port = front;
    } else {
      ip = front.substr(0, mid);
      host_port = front.substr(mid + 1);
      if (ip.size() >= 2 && ip.front() == '[') ip = ip.substr(1, ip.size() - 2);
    }
  }
  long long n = 0;
  if (!parse_int64(container_port, &n) || n <= 0 || n > 65535)
    return make_error(Code::kInvalidArgument, "invalid containerPort: " + container_port);
  std::string key = container_port + "/" + proto;
  exposed[key] = Json::object();
  if (!bindings.contains(key)) bindings[key] = Json::array();
  bindings[key].push_back(Json{{"HostIp", ip}, {"HostPort", host_port}});
  return ok_status();
}

}  // namespace

Result<ContainerSpec> build_container_spec(const Flags& flags, bool run) {
  ContainerSpec spec;
  if (flags.args().empty())
    return make_error(Code::kInvalidArgument, std::string("\"berth ") + (run ? "run" : "create") +
                                                  "\" requires at least 1 argument.");
  spec.image = flags.args()[0];
  std::vector<std::string> cmd(flags.args().begin() + 1, flags.args().end());
  spec.name = flags.get_string("name");
  spec.tty = flags.get_bool("tty");
  spec.interactive = flags.get_bool("interactive");
  spec.detach = run && flags.get_bool("detach");
  spec.auto_remove = run && flags.get_bool("rm");
  bool attach = run && !spec.detach;

  Json env = Json::array();
  for (const std::string& file : flags.get_list("env-file")) {
    FILE* f = std::fopen(file.c_str(), "r");
    if (f == nullptr) return sys_error("open env file " + file);
    char line[65536];
    while (std::fgets(line, sizeof line, f) != nullptr) {
      std::string l = trim(line);
      if (l.empty() || l[0] == '#') continue;
      (void)add_env(env, l);
    }
    std::fclose(f);
  }
  for (const std::string& e : flags.get_list("env")) BERTH_TRY(add_env(env, e));

  Json labels = Json::object();
  for (const std::string& l : flags.get_list("label")) {
    size_t eq = l.find('=');
    labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  Json exposed = Json::object();
  Json bindings = Json::object();
  for (const std::string& p : flags.get_list("publish")) {
    BERTH_TRY(add_publish(exposed, bindings, p));
  }

  Json& b = spec.body;
  b["Hostname"] = flags.get_string("hostname");
  b["Domainname"] = "";
  b["User"] = flags.get_string("user");
  b["AttachStdin"] = attach && spec.interactive;
  b["AttachStdout"] = attach;
  b["AttachStderr"] = attach;
  if (!exposed.empty()) b["ExposedPorts"] = exposed;
  b["Tty"] = spec.tty;
  b["OpenStdin"] = spec.interactive;
  b["StdinOnce"] = attach && spec.interactive;
  b["Env"] = env.empty() ? Json() : env;
  b["Cmd"] = cmd.empty() ? Json() : Json(cmd);
  b["Image"] = spec.image;
  b["Volumes"] = Json();
  b["WorkingDir"] = flags.get_string("workdir");
  if (flags.changed("entrypoint")) {
    b["Entrypoint"] = Json::array({flags.get_string("entrypoint")});
  } else {
    b["Entrypoint"] = Json();
  }
  b["OnBuild"] = Json();
  b["Labels"] = labels;
  if (flags.changed("stop-signal")) b["StopSignal"] = flags.get_string("stop-signal");

  Json host = Json::object();
  host["Binds"] = flags.get_list("volume").empty() ? Json() : Json(flags.get_list("volume"));
  host["NetworkMode"] = flags.changed("network") ? flags.get_string("network") : "default";
  host["PortBindings"] = bindings;
  std::string restart = flags.get_string("restart");
  std::string restart_name = restart.substr(0, restart.find(':'));
  long long retries = 0;
  if (restart.find(':') != std::string::npos)
    (void)parse_int64(restart.substr(restart.find(':') + 1), &retries);
  host["RestartPolicy"] = {{"Name", restart_name}, {"MaximumRetryCount", retries}};
  host["AutoRemove"] = spec.auto_remove;
  host["Privileged"] = flags.get_bool("privileged");
  host["ReadonlyRootfs"] = flags.get_bool("read-only");
  if (flags.get_bool("init")) host["Init"] = true;
  b["HostConfig"] = host;
  b["NetworkingConfig"] = {{"EndpointsConfig", Json::object()}};
  return spec;
}

}  // namespace berth::cli
