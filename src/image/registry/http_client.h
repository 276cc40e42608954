// A small HTTP(S) client for registries: one request at a time per call, bodies whole or
// streamed to a sink, uploads from a file descriptor.  The implementation (http_curl.cpp) is the
// only libcurl user; connections are pooled and shared between threads.  Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace berth::image::registry {

struct TlsSettings {
  std::string ca_file;    // "" = the system's CA bundle
  std::string cert_file;  // client certificate, optional
  std::string key_file;
  bool verify = true;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent when upload_fd < 0 and the method has a body
  int upload_fd = -1;                // a body read from this fd (upload_size bytes)
  int64_t upload_size = 0;
  bool follow_redirects = true;
  TlsSettings tls;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  std::string body;  // the body unless a sink took it (error bodies are kept, up to 1 MiB)
  std::string header(const std::string& lower_name) const;
};

// Receives a 2xx body as it arrives; returns false to abort the transfer (Cancelled).
using BodySink = std::function<bool(std::string_view)>;

class HttpClient {
 public:
  static std::unique_ptr<HttpClient> create();
  virtual ~HttpClient() = default;
  // Unavailable with "<method> "<url>": <reason>" when no HTTP response came.
  virtual Result<HttpResponse> send(const HttpRequest& request, const BodySink& sink = {}) = 0;
};

}  // namespace berth::image::registry
