// The JSON of registry auth: Docker's config.json "auths", token replies, error bodies.  With
// registry.cpp's challenge parsing, the auth side of the registry client.
#include <cstdlib>

#include "base/file.h"
#include "base/json.h"
#include "image/image_store.h"
#include "image/registry/internal.h"
#include "image/registry/registry.h"
#include "model/system_json.h"

namespace berth::image::registry {

namespace {
const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string base64_encode(std::string_view data) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kB64[(v >> s) & 63];
  }
  if (i < data.size()) {
    uint32_t v = uint8_t(data[i]) << 16;
    if (i + 1 < data.size()) v |= uint8_t(data[i + 1]) << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < data.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=' || c == '\n' || c == '\r')
      continue;
    else
      return make_error(Code::kInvalidArgument, "invalid base64 data");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

Credentials credentials_from_config(const std::string& config_json, const std::string& domain) {
  Credentials c;
  auto j = parse_json(config_json, "docker config");
  if (!j || !j->is_object() || !j->contains("auths") || !(*j)["auths"].is_object()) return c;
  const Json& auths = (*j)["auths"];
  std::vector<std::string> keys = {domain, "https://" + domain, "http://" + domain,
                                   "https://" + domain + "/v1/", "https://" + domain + "/v2/"};
  if (domain == "docker.io")
    keys.insert(keys.begin(), {"https://index.docker.io/v1/", "index.docker.io"});
  for (auto& k : keys) {
    auto it = auths.find(k);
    if (it == auths.end() || !it->is_object()) continue;
    std::string auth = json_string(*it, "auth");
    if (auto raw = base64_decode(auth); raw && raw->find(':') != std::string::npos) {
      c.username = raw->substr(0, raw->find(':'));
      c.password = raw->substr(raw->find(':') + 1);
    }
    if (c.username.empty()) c.username = json_string(*it, "username");
    if (c.password.empty()) c.password = json_string(*it, "password");
    c.identity_token = json_string(*it, "identitytoken");
    return c;
  }
  return c;
}

Credentials credentials_for(const std::string& domain) {
  std::string dir;
  if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d)
    dir = d;
  else if (const char* h = std::getenv("HOME"); h && *h)
    dir = std::string(h) + "/.docker";
  if (dir.empty()) return {};
  auto text = read_file(dir + "/config.json");
  if (!text) return {};
  return credentials_from_config(*text, domain);
}

}  // namespace berth::image::registry

namespace berth::image {

RegistryAuth parse_auth_config(const std::string& json, std::string* server) {
  RegistryAuth a;
  auto parsed = model::parse<model::AuthConfig>(json, "auth config");
  if (!parsed) return a;
  const model::AuthConfig& c = *parsed;
  a.username = c.username;
  a.password = c.password;
  a.identity_token = c.identitytoken;
  a.registry_token = c.registrytoken;
  if (a.username.empty() && !c.auth.empty()) {
    if (auto raw = registry::base64_decode(c.auth); raw && raw->find(':') != std::string::npos) {
      a.username = raw->substr(0, raw->find(':'));
      a.password = raw->substr(raw->find(':') + 1);
    }
  }
  if (server) *server = c.serveraddress;
  return a;
}

RegistryAuth decode_registry_auth(const std::string& header, std::string* server) {
  if (header.empty()) return {};
  auto raw = registry::base64_decode(header);
  if (!raw) return {};
  return parse_auth_config(*raw, server);
}

}  // namespace berth::image

namespace berth::image::registry {
namespace internal {

std::string token_from_reply(const std::string& body) {
  auto j = parse_json(body, "token reply");
  if (!j || !j->is_object()) return "";
  std::string t = json_string(*j, "token");
  return t.empty() ? json_string(*j, "access_token") : t;
}

std::string error_from_body(const std::string& body) {
  auto j = parse_json(body, "registry error");
  if (!j || !j->is_object() || !j->contains("errors") || !(*j)["errors"].is_array() ||
      (*j)["errors"].empty())
    return "";
  const Json& e = (*j)["errors"][0];
  std::string code = json_string(e, "code"), msg = json_string(e, "message");
  for (auto& ch : code) ch = ch == '_' ? ' ' : static_cast<char>(std::tolower(ch));
  return code.empty() ? msg : code + ": " + msg;
}

}  // namespace internal
}  // namespace berth::image::registry
