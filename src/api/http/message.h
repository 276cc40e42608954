// HTTP/1.1 messages as the Engine API uses them: requests with query strings and bodies
// (Content-Length or chunked), responses that are whole, streamed (chunked) or hijacked
// (101 Switching Protocols, after which the socket carries raw bytes both ways).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"

namespace berth::api::http {

// Buffered reading from a socket; shared by the server and the client.
class Stream {
 public:
  explicit Stream(int fd) : fd_(fd) {}
  // One line without its CRLF; Unavailable at EOF before any byte.
  Result<std::string> read_line(size_t max = 65536);
  // Up to `n` bytes (buffered first); 0 at EOF.
  Result<size_t> read_some(char* buf, size_t n);
  Status read_exact(char* buf, size_t n);
  // Bytes read from the socket but not consumed (handed over on hijack).
  std::string take_buffered();
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string buf_;
  size_t pos_ = 0;
};

// Reads a message body: Content-Length, chunked, or (for responses) until EOF.
class BodyReader {
 public:
  enum class Mode { kNone, kLength, kChunked, kUntilEof };
  BodyReader() = default;
  BodyReader(Stream* stream, Mode mode, size_t length = 0)
      : stream_(stream), mode_(mode), remaining_(length) {}
  Result<size_t> read_some(char* buf, size_t n);  // 0 at the end of the body
  Result<std::string> read_all(size_t max = 1ull << 30);
  Status drain();  // discard the rest, so the connection can be reused

 private:
  Stream* stream_ = nullptr;
  Mode mode_ = Mode::kNone;
  size_t remaining_ = 0;
  bool done_ = false;
};

struct Headers {
  std::vector<std::pair<std::string, std::string>> list;  // names as sent
  // Case-insensitive lookup; "" when absent.
  std::string get(const std::string& name) const;
  bool has(const std::string& name) const;
  void set(const std::string& name, const std::string& value);
};

struct Request {
  std::string method;
  std::string target;  // as sent: "/v1.50/containers/json?all=1"
  std::string path;    // percent-decoded, without the query: "/v1.50/containers/json"
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  BodyReader body;
  int connection_fd = -1;  // the socket, for liveness checks of long waits (set by the server)

  // The last value of a query parameter, or `fallback`.
  std::string query_value(const std::string& key, const std::string& fallback = "") const;
  std::vector<std::string> query_values(const std::string& key) const;
  bool has_query(const std::string& key) const;
  // Docker's boolean query values: "1", "true", "True" are true; absent is `fallback`.
  bool query_bool(const std::string& key, bool fallback = false) const;
};

std::string percent_decode(const std::string& text, bool plus_is_space);
std::string percent_encode(const std::string& text);
// "a=1&b=x%20y" -> ordered pairs
std::vector<std::pair<std::string, std::string>> parse_query(const std::string& query);
std::string status_reason(int status);

}  // namespace berth::api::http
