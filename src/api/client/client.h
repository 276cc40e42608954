// The Engine API client the berth CLI uses: HTTP/1.1 over a unix socket or TCP, whole,
// streamed and hijacked (attach) responses.  One connection per request; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "api/http/message.h"

namespace berth::api {

struct ClientResponse {
  int status = 0;
  http::Headers headers;
  std::string body;
};

// A response whose body is read as it arrives (logs -f, pull progress, the wait reply).
class StreamingResponse {
 public:
  int status = 0;
  http::Headers headers;
  Result<size_t> read_some(char* buf, size_t n);  // 0 at the end
  Result<std::string> read_line();  // one '\n'-terminated line of the body; Unavailable at end
  Result<std::string> read_all();
  // internal
  UniqueFd fd;
  std::unique_ptr<http::Stream> stream;
  http::BodyReader body;
  std::string line_buf;
};

struct Hijacked {
  UniqueFd fd;           // raw socket after 101
  std::string buffered;  // bytes already read past the response headers
  std::string content_type;
};

class Client {
 public:
  // "unix:///run/berth/berth.sock", "tcp://127.0.0.1:2375" (also "/path.sock").
  explicit Client(std::string host) : host_(std::move(host)) {}
  const std::string& host() const { return host_; }
  // Sets the "/v1.NN" prefix put before every path (empty: none).
  void set_version_prefix(std::string prefix) { prefix_ = std::move(prefix); }
  // Added to every request after this (e.g. X-Registry-Auth for pull and push).
  void set_header(const std::string& name, const std::string& value) {
    extra_headers_.set(name, value);
  }
  const http::Headers& extra_headers() const { return extra_headers_; }

  Result<ClientResponse> request(const std::string& method, const std::string& target,
                                 const std::string& body = "",
                                 const std::string& content_type = "application/json");
  Result<StreamingResponse> stream(const std::string& method, const std::string& target,
                                   const std::string& body = "",
                                   const std::string& content_type = "application/json");
  // Sends a request whose body is read from `body_fd` until EOF (chunked), e.g. load -i.
  Result<StreamingResponse> stream_upload(const std::string& method, const std::string& target,
                                          int body_fd, const std::string& content_type);
  // POST with "Connection: Upgrade", "Upgrade: tcp"; Unavailable/the server's error unless 101/200.
  Result<Hijacked> hijack(const std::string& method, const std::string& target,
                          const std::string& body = "");
  // Unavailable when nothing listens at host.
  Result<UniqueFd> connect();

  // Added: the daemon's error message from a failed response ({"message": ...} or the body).
  static std::string error_message(int status, const std::string& body);
  // Added: an Error with the code an HTTP status stands for and the daemon's message.
  static Error response_error(int status, const std::string& body);

 private:
  std::string host_;
  std::string prefix_;
  http::Headers extra_headers_;
};

}  // namespace berth::api
