#include "image/registry/registry.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>

#include "base/digest.h"
#include "base/file.h"
#include "image/registry/internal.h"

namespace berth::image::registry {

namespace {

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Code code_for_status(int status) {
  switch (status) {
    case 401:
      return Code::kUnauthorized;
    case 403:
      return Code::kPermissionDenied;
    case 404:
      return Code::kNotFound;
    case 400:
      return Code::kInvalidArgument;
    default:
      return Code::kUnavailable;
  }
}

}  // namespace

Challenge parse_challenge(const std::string& header) {
  Challenge ch;
  size_t sp = header.find(' ');
  ch.scheme = header.substr(0, sp);
  for (auto& c : ch.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (sp == std::string::npos) return ch;
  size_t i = sp + 1;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t eq = header.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = header.substr(i, eq - i);
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value;
    i = eq + 1;
    if (i < header.size() && header[i] == '"') {
      ++i;
      while (i < header.size() && header[i] != '"') {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value += header[i++];
      }
      ++i;
    } else {
      while (i < header.size() && header[i] != ',') value += header[i++];
    }
    ch.params[key] = value;
  }
  return ch;
}

bool is_loopback_host(const std::string& domain) {
  std::string host = domain;
  if (!host.empty() && host[0] == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
    host.resize(colon);
  }
  if (host == "localhost" || host == "::1") return true;
  in_addr a;
  if (::inet_pton(AF_INET, host.c_str(), &a) == 1) return (ntohl(a.s_addr) >> 24) == 127;
  return false;
}

Registry::Registry(HttpClient& http, std::string domain, RegistryOptions options, Credentials creds)
    : http_(http),
      domain_(std::move(domain)),
      options_(std::move(options)),
      creds_(std::move(creds)) {
  host_ = domain_ == "docker.io" ? "registry-1.docker.io" : domain_;
}

TlsSettings Registry::tls() const {
  TlsSettings t;
  for (auto& dir : options_.certs_dirs) {
    std::string d = dir + "/" + domain_;
    auto entries = list_dir(d);
    if (!entries) continue;
    std::sort(entries->begin(), entries->end());
    for (auto& e : *entries) {
      if (e == "ca.crt" || (t.ca_file.empty() && e.ends_with(".crt"))) t.ca_file = d + "/" + e;
      if (e.ends_with(".cert")) t.cert_file = d + "/" + e;
      if (e.ends_with(".key")) t.key_file = d + "/" + e;
    }
    if (!t.ca_file.empty() || !t.cert_file.empty()) break;
  }
  if (std::find(options_.insecure_registries.begin(), options_.insecure_registries.end(),
                domain_) != options_.insecure_registries.end())
    t.verify = false;
  return t;
}

Status Registry::ping(bool check_credentials) {
  bool plain_ok =
      is_loopback_host(domain_) ||
      std::find(options_.insecure_registries.begin(), options_.insecure_registries.end(),
                domain_) != options_.insecure_registries.end();
  HttpRequest req;
  req.url = "https://" + host_ + "/v2/";
  req.tls = tls();
  auto resp = http_.send(req);
  if (!resp && plain_ok) {
    std::string tls_error = resp.error().message;
    req.url = "http://" + host_ + "/v2/";
    resp = http_.send(req);
    if (!resp) return std::move(resp).error().context(tls_error);
    if (resp->status == 400 && resp->body.find("HTTPS") != std::string::npos)
      return make_error(Code::kUnavailable, tls_error);
    scheme_ = "http";
  } else if (!resp) {
    return std::move(resp).error();
  } else {
    scheme_ = "https";
  }
  pinged_ = true;
  if (resp->status == 401) {
    std::lock_guard lock(mu_);
    challenge_ = parse_challenge(resp->header("www-authenticate"));
  } else if (resp->status != 200) {
    return make_error(Code::kUnavailable,
                      "ping " + req.url + ": unexpected status " + std::to_string(resp->status));
  }
  if (!check_credentials || resp->status == 200) return ok_status();
  // A login: the credentials must earn a token (bearer) or a 200 (basic).
  std::string fail = "login attempt to " + req.url + " failed with status: 401 Unauthorized";
  if (challenge_.scheme == "bearer") {
    auto tok = token(challenge_, "");
    if (!tok) return make_error(Code::kUnauthorized, fail);
    return ok_status();
  }
  HttpRequest again = req;
  prepare(again, "");
  BERTH_TRY_ASSIGN(HttpResponse r2, http_.send(again));
  if (r2.status != 200) return make_error(Code::kUnauthorized, fail);
  return ok_status();
}

Result<std::string> Registry::token(const Challenge& ch, const std::string& scope) {
  std::string realm = ch.params.count("realm") ? ch.params.at("realm") : "";
  if (realm.empty()) return make_error(Code::kUnauthorized, "bearer challenge without a realm");
  std::string url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
  if (ch.params.count("service")) url += "service=" + url_encode(ch.params.at("service")) + "&";
  if (!scope.empty()) url += "scope=" + url_encode(scope) + "&";
  url.pop_back();
  HttpRequest req;
  req.url = url;
  req.tls = tls();
  if (!creds_.username.empty())
    req.headers.push_back("Authorization: Basic " +
                          base64_encode(creds_.username + ":" + creds_.password));
  BERTH_TRY_ASSIGN(HttpResponse resp, http_.send(req));
  if (resp.status != 200) {
    std::string why = internal::error_from_body(resp.body);
    return make_error(resp.status == 401 ? Code::kUnauthorized : code_for_status(resp.status),
                      "get token from " + realm + ": " +
                          (why.empty() ? "status " + std::to_string(resp.status) : why));
  }
  std::string tok = internal::token_from_reply(resp.body);
  if (tok.empty())
    return make_error(Code::kUnauthorized, "token server " + realm + " sent no token");
  std::lock_guard lock(mu_);
  tokens_[scope] = tok;
  return tok;
}

void Registry::prepare(HttpRequest& req, const std::string& scope) {
  req.tls = tls();
  std::lock_guard lock(mu_);
  if (!creds_.registry_token.empty()) {
    req.headers.push_back("Authorization: Bearer " + creds_.registry_token);
  } else if (challenge_.scheme == "bearer") {
    auto it = tokens_.find(scope);
    if (it != tokens_.end()) req.headers.push_back("Authorization: Bearer " + it->second);
  } else if (challenge_.scheme == "basic" && !creds_.username.empty()) {
    req.headers.push_back("Authorization: Basic " +
                          base64_encode(creds_.username + ":" + creds_.password));
  }
}

Result<HttpResponse> Registry::send(HttpRequest req, const std::string& scope,
                                    const BodySink& sink) {
  if (!pinged_) BERTH_TRY(ping());
  if (req.url.starts_with("/")) req.url = base_url() + req.url;
  HttpRequest first = req;
  prepare(first, scope);
  BERTH_TRY_ASSIGN(HttpResponse resp, http_.send(first, sink));
  if (resp.status != 401) return resp;
  Challenge ch = parse_challenge(resp.header("www-authenticate"));
  {
    std::lock_guard lock(mu_);
    challenge_ = ch;
  }
  if (ch.scheme == "bearer") {
    BERTH_TRY(token(ch, scope));
  } else if (ch.scheme != "basic" || creds_.username.empty()) {
    return resp;
  }
  if (req.upload_fd >= 0 && ::lseek(req.upload_fd, 0, SEEK_SET) < 0)
    return sys_error("rewind upload");
  prepare(req, scope);
  return http_.send(req, sink);
}

Error Registry::http_error(const HttpRequest& req, const HttpResponse& resp,
                           const std::string& what) {
  std::string why = internal::error_from_body(resp.body);
  if (why.empty() && resp.status == 401) why = "unauthorized: authentication required";
  if (why.empty() && resp.status == 403) why = "denied: requested access to the resource is denied";
  if (why.empty())
    why = "unexpected status " + std::to_string(resp.status) + " from " + req.method +
          " request to " + req.url;
  return make_error(code_for_status(resp.status), what.empty() ? why : what + ": " + why);
}

namespace {
std::string pull_scope(const std::string& repo) { return "repository:" + repo + ":pull"; }
std::string push_scope(const std::string& repo) { return "repository:" + repo + ":pull,push"; }
}  // namespace

Result<Manifest> Registry::get_manifest(const std::string& repo, const std::string& reference) {
  HttpRequest req;
  req.url = "/v2/" + repo + "/manifests/" + reference;
  req.headers = {
      "Accept: application/vnd.oci.image.index.v1+json, "
      "application/vnd.docker.distribution.manifest.list.v2+json, "
      "application/vnd.oci.image.manifest.v1+json, "
      "application/vnd.docker.distribution.manifest.v2+json"};
  BERTH_TRY_ASSIGN(HttpResponse resp, send(req, pull_scope(repo)));
  if (resp.status != 200) return http_error(req, resp, "");
  Manifest m;
  m.body = std::move(resp.body);
  m.digest = sha256_digest(m.body);
  m.media_type = resp.header("content-type");
  if (auto semi = m.media_type.find(';'); semi != std::string::npos) m.media_type.resize(semi);
  if (reference.starts_with("sha256:") && m.digest != reference)
    return make_error(Code::kDataLoss, "manifest " + reference + " has digest " + m.digest);
  return m;
}

Status Registry::get_blob(const std::string& repo, const std::string& digest, int64_t offset,
                          const BodySink& sink, bool* restarted) {
  HttpRequest req;
  req.url = "/v2/" + repo + "/blobs/" + digest;
  if (offset > 0) req.headers.push_back("Range: bytes=" + std::to_string(offset) + "-");
  BERTH_TRY_ASSIGN(HttpResponse resp, send(req, pull_scope(repo), sink));
  bool restart = false;
  if (resp.status == 200 && offset > 0) restart = true;
  if (restarted) *restarted = restart;
  if (resp.status != 200 && resp.status != 206)
    return Status(http_error(req, resp, "fetch blob " + digest));
  return ok_status();
}

Result<bool> Registry::has_blob(const std::string& repo, const std::string& digest) {
  HttpRequest req;
  req.method = "HEAD";
  req.url = "/v2/" + repo + "/blobs/" + digest;
  BERTH_TRY_ASSIGN(HttpResponse resp, send(req, push_scope(repo)));
  if (resp.status == 200) return true;
  if (resp.status == 404) return false;
  return http_error(req, resp, "check blob " + digest);
}

Result<bool> Registry::mount_blob(const std::string& repo, const std::string& digest,
                                  const std::string& from_repo) {
  HttpRequest req;
  req.method = "POST";
  req.url = "/v2/" + repo + "/blobs/uploads/?mount=" + digest + "&from=" + url_encode(from_repo);
  std::string scope = push_scope(repo) + " repository:" + from_repo + ":pull";
  BERTH_TRY_ASSIGN(HttpResponse resp, send(req, scope));
  if (resp.status == 201) return true;
  if (resp.status == 202) {
    // An upload session was opened instead: cancel it, the caller uploads.
    std::string loc = resp.header("location");
    if (!loc.empty()) {
      HttpRequest del;
      del.method = "DELETE";
      del.url = loc.starts_with("http") ? loc : base_url() + loc;
      (void)send(del, push_scope(repo));
    }
    return false;
  }
  return false;
}

Status Registry::upload_blob(const std::string& repo, const std::string& digest, int fd,
                             int64_t size) {
  HttpRequest start;
  start.method = "POST";
  start.url = "/v2/" + repo + "/blobs/uploads/";
  BERTH_TRY_ASSIGN(HttpResponse resp, send(start, push_scope(repo)));
  if (resp.status != 202) return Status(http_error(start, resp, "start upload of " + digest));
  std::string loc = resp.header("location");
  if (loc.empty()) return make_error(Code::kUnavailable, "upload of " + digest + ": no Location");
  if (!loc.starts_with("http")) loc = base_url() + loc;
  HttpRequest put;
  put.method = "PUT";
  put.url = loc + (loc.find('?') == std::string::npos ? "?" : "&") + "digest=" + url_encode(digest);
  put.headers = {"Content-Type: application/octet-stream"};
  put.upload_fd = fd;
  put.upload_size = size;
  BERTH_TRY_ASSIGN(HttpResponse done, send(put, push_scope(repo)));
  if (done.status != 201 && done.status != 204)
    return Status(http_error(put, done, "upload " + digest));
  return ok_status();
}

Result<std::string> Registry::put_manifest(const std::string& repo, const std::string& reference,
                                           const std::string& media_type, const std::string& body) {
  HttpRequest req;
  req.method = "PUT";
  req.url = "/v2/" + repo + "/manifests/" + reference;
  req.headers = {"Content-Type: " + media_type};
  req.body = body;
  BERTH_TRY_ASSIGN(HttpResponse resp, send(req, push_scope(repo)));
  if (resp.status != 201 && resp.status != 200)
    return http_error(req, resp, "put manifest " + reference);
  std::string d = resp.header("docker-content-digest");
  return d.empty() ? sha256_digest(body) : d;
}

}  // namespace berth::image::registry
