// The HTTP/1.1 server berthd serves the Engine API with: unix and TCP listeners, one thread per
// connection (attach, logs -f and wait hold connections for a container's lifetime, and a
// blocking thread per such connection keeps each handler a straight-line function), keep-alive.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "api/http/message.h"

namespace berth::api::http {

// How a handler answers.  Exactly one of send / begin_stream / hijack per request.
class ResponseWriter {
 public:
  explicit ResponseWriter(Stream* stream) : stream_(stream) {}
  Headers& headers() { return headers_; }
  // A whole response with Content-Length.
  Status send(int status, const std::string& body,
              const std::string& content_type = "application/json");
  // Starts a chunked response (headers flushed at once); then write() chunks and end().
  Status begin_stream(int status, const std::string& content_type);
  Status write(std::string_view data);  // one chunk, flushed
  Status end();
  // Answers `status` (101 with "Connection: Upgrade", "Upgrade: tcp" when the request asked to
  // upgrade, else 200) and hands over the socket: the returned fd is a dup the caller owns;
  // `*buffered` gets bytes the client sent beyond the request.  The server closes the connection
  // after the handler returns.
  Result<UniqueFd> hijack(const Request& request, const std::string& content_type,
                          std::string* buffered);
  bool responded() const { return responded_; }
  bool keep_alive() const { return keep_alive_; }
  // Added: the server marks HEAD requests (no body is written) and asks whether the socket was
  // handed over or a stream left open.
  void set_head_request(bool head) { head_ = head; }
  bool hijacked() const { return hijacked_; }
  bool stream_open() const { return chunked_ && !ended_; }
  // Added: true once the client closed its side (e.g. the docker CLI dropping the wait request
  // of `run -d`), so a handler that waits for an event can stop early.
  bool client_gone() const;

 private:
  Stream* stream_;
  Headers headers_;
  bool responded_ = false;
  bool chunked_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  bool hijacked_ = false;
  bool ended_ = false;
};

using Handler = std::function<void(Request&, ResponseWriter&)>;

class Server {
 public:
  // `address`: "unix:///run/berth/berth.sock" (an existing socket file is replaced; mode 0660)
  // or "tcp://127.0.0.1:2375".
  static Result<std::unique_ptr<Server>> listen(const std::string& address, Handler handler);
  ~Server();
  // Accepts until shutdown(); each connection on its own detached thread.
  void serve();
  // Stops accepting (serve() returns); open connections finish on their own.
  void shutdown();

 private:
  Server(UniqueFd fd, std::string address, Handler handler);
  UniqueFd fd_;
  std::string address_;
  Handler handler_;
  std::atomic<bool> stopping_{false};
};

}  // namespace berth::api::http
