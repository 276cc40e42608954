// A client of one registry (the OCI distribution spec, /v2/): endpoint and TLS choice, the
// auth handshake, manifests and blobs.  Thread-safe: tokens are cached under a mutex; the
// HttpClient is shared.
//
// Endpoint: https first, with the CA found under <certs-dir>/<host:port>/ (ca.crt or any *.crt,
// client.cert/client.key); plain HTTP only when the host is loopback or listed insecure.
// Auth: a 401 challenge "Bearer realm=...,service=...,scope=..." is answered with a token from
// the realm (basic credentials when known); "Basic" with the credentials.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.h"
#include "image/registry/http_client.h"

namespace berth::image::registry {

struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // an OAuth refresh token (Docker's IdentityToken)
  std::string registry_token;  // a bearer token used as is
  bool empty() const {
    return username.empty() && password.empty() && identity_token.empty() && registry_token.empty();
  }
};

struct RegistryOptions {
  std::vector<std::string> insecure_registries;  // "host:port" or CIDR-less hosts
  std::vector<std::string> certs_dirs = {"/etc/berth/certs.d", "/etc/docker/certs.d"};
};

// The parsed WWW-Authenticate header: scheme ("bearer", "basic") and its parameters.
struct Challenge {
  std::string scheme;
  std::map<std::string, std::string> params;
};
Challenge parse_challenge(const std::string& header);

std::string base64_encode(std::string_view data);
Result<std::string> base64_decode(std::string_view text);  // also accepts the URL alphabet

// Credentials for `domain` from a Docker config.json ("auths" → "auth" = base64(user:pass),
// or "identitytoken"); docker.io is also looked up as "https://index.docker.io/v1/".
Credentials credentials_from_config(const std::string& config_json, const std::string& domain);
// $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json; empty when none.
Credentials credentials_for(const std::string& domain);

bool is_loopback_host(const std::string& domain);

struct Manifest {
  std::string media_type;
  std::string digest;  // sha256 of body
  std::string body;
};

class Registry {
 public:
  Registry(HttpClient& http, std::string domain, RegistryOptions options, Credentials creds);

  const std::string& domain() const { return domain_; }
  // GET /v2/: picks the scheme; Unauthorized when credentials were given and refused.
  Status ping(bool check_credentials = false);
  // The manifest (or index) named by a tag or digest; a digest reference is verified.
  Result<Manifest> get_manifest(const std::string& repo, const std::string& reference);
  // Streams a blob from `offset`; *restarted is set when the registry ignored the range.
  Status get_blob(const std::string& repo, const std::string& digest, int64_t offset,
                  const BodySink& sink, bool* restarted);
  Result<bool> has_blob(const std::string& repo, const std::string& digest);
  // Cross-repository mount; true when mounted, false when the registry wants an upload.
  Result<bool> mount_blob(const std::string& repo, const std::string& digest,
                          const std::string& from_repo);
  Status upload_blob(const std::string& repo, const std::string& digest, int fd, int64_t size);
  // Returns the digest the registry reports.
  Result<std::string> put_manifest(const std::string& repo, const std::string& reference,
                                   const std::string& media_type, const std::string& body);

 private:
  std::string base_url() const { return scheme_ + "://" + host_; }
  Result<HttpResponse> send(HttpRequest req, const std::string& scope, const BodySink& sink = {});
  Result<std::string> token(const Challenge& ch, const std::string& scope);
  void prepare(HttpRequest& req, const std::string& scope);
  Error http_error(const HttpRequest& req, const HttpResponse& resp, const std::string& what);
  TlsSettings tls() const;

  HttpClient& http_;
  std::string domain_, host_, scheme_ = "https";
  RegistryOptions options_;
  Credentials creds_;
  std::mutex mu_;
  Challenge challenge_;                        // from the last 401
  std::map<std::string, std::string> tokens_;  // scope -> bearer token
  bool pinged_ = false;
};

}  // namespace berth::image::registry
