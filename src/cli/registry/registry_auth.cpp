#include "cli/registry/registry_auth.h"

#include <cstdlib>

#include "base/file.h"
#include "model/system_json.h"

namespace berth::cli {

std::string base64_encode(const std::string& data) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += t[(v >> s) & 63];
  }
  if (i < data.size()) {
    uint32_t v = uint8_t(data[i]) << 16;
    if (i + 1 < data.size()) v |= uint8_t(data[i + 1]) << 8;
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
    out += i + 1 < data.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string registry_server_of(const std::string& ref) {
  size_t slash = ref.find('/');
  if (slash == std::string::npos) return kDockerHubServer;
  std::string first = ref.substr(0, slash);
  if (first.find_first_of(".:") == std::string::npos && first != "localhost")
    return kDockerHubServer;
  if (first == "docker.io" || first == "index.docker.io") return kDockerHubServer;
  return first;
}

std::string normalize_server(const std::string& server) {
  if (server.empty()) return kDockerHubServer;
  std::string s = server;
  for (const char* p : {"https://", "http://"})
    if (s.rfind(p, 0) == 0) s = s.substr(std::string(p).size());
  if (auto slash = s.find('/'); slash != std::string::npos) s.resize(slash);
  if (s == "docker.io" || s == "index.docker.io" || s == "registry-1.docker.io")
    return kDockerHubServer;
  return s;
}

std::string config_path() {
  if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d) return std::string(d) + "/config.json";
  const char* h = std::getenv("HOME");
  return std::string(h && *h ? h : "/root") + "/.docker/config.json";
}

Result<Json> read_config() {
  auto text = read_file(config_path());
  if (!text) return Json::object();
  BERTH_TRY_ASSIGN(Json j, parse_json(*text, config_path()));
  if (!j.is_object()) return Json::object();
  return j;
}

Status write_config(const Json& config) {
  std::string path = config_path();
  BERTH_TRY(make_dirs(path.substr(0, path.rfind('/')), 0700));
  return write_file_atomic(path, config.dump(1, '\t') + "\n", 0600);
}

// config.json is the docker CLI's own file: its "auths" member is read and written here as JSON,
// each entry as a model::AuthConfig.
std::optional<model::AuthConfig> stored_auth(const Json& config, const std::string& server) {
  auto auths = config.find("auths");
  if (auths == config.end() || !auths->is_object()) return std::nullopt;
  auto it = auths->find(server);
  if (it == auths->end() || !it->is_object()) return std::nullopt;
  auto auth = model::from_json<model::AuthConfig>(*it);
  if (!auth.ok()) return std::nullopt;
  return std::move(*auth);
}

void set_stored_auth(Json& config, const std::string& server, const model::AuthConfig& auth) {
  Json& auths = config["auths"];
  if (!auths.is_object()) auths = Json::object();
  auths[server] = model::to_json(auth);
}

bool erase_stored_auth(Json& config, const std::string& server) {
  auto auths = config.find("auths");
  return auths != config.end() && auths->is_object() && auths->erase(server) > 0;
}

std::string registry_auth_header(const std::string& server) {
  auto cfg = read_config();
  if (!cfg) return "";
  auto stored = stored_auth(*cfg, server);
  if (!stored) return "";
  model::AuthConfig header;
  header.auth = stored->auth;
  header.identitytoken = stored->identitytoken;
  header.serveraddress = server;
  return base64_encode(model::dump(header));
}

}  // namespace berth::cli
