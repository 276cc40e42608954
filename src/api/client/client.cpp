#include "api/client/client.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "api/http/wire.h"
#include "base/json.h"

namespace berth::api {

namespace {

Code code_for_status(int status) {
  switch (status) {
    case 400:
      return Code::kInvalidArgument;
    case 401:
      return Code::kUnauthorized;
    case 403:
      return Code::kPermissionDenied;
    case 404:
      return Code::kNotFound;
    case 409:
      return Code::kConflict;
    case 304:
      return Code::kNotModified;
    case 501:
      return Code::kNotImplemented;
    case 503:
      return Code::kUnavailable;
    default:
      return Code::kInternal;
  }
}

Result<UniqueFd> connect_unix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return make_error(Code::kInvalidArgument, "socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys_error("socket");
  while (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == EINTR) continue;
    Error err = sys_error("dial unix " + path);
    if (errno == ENOENT || errno == ECONNREFUSED) err.code = Code::kUnavailable;
    return err;
  }
  return fd;
}

Result<UniqueFd> connect_tcp(const std::string& hostport) {
  size_t colon = hostport.rfind(':');
  std::string host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
  std::string port = colon == std::string::npos ? "2375" : hostport.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  size_t slash = port.find('/');
  if (slash != std::string::npos) port = port.substr(0, slash);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0)
    return make_error(Code::kUnavailable, "resolve " + hostport + ": " + ::gai_strerror(rc));
  Error last = make_error(Code::kUnavailable, "dial tcp " + hostport + ": no address");
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    UniqueFd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (!fd) continue;
    if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0) {
      int one = 1;
      ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ::freeaddrinfo(res);
      return fd;
    }
    last = sys_error("dial tcp " + hostport);
    last.code = Code::kUnavailable;
  }
  ::freeaddrinfo(res);
  return last;
}

http::Headers request_headers(const std::string& content_type, bool has_body) {
  http::Headers h;
  h.set("Host", "berth");
  h.set("User-Agent", "berth-cli/0.1");
  if (has_body && !content_type.empty()) h.set("Content-Type", content_type);
  return h;
}

bool method_sends_length(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Sends a request and reads the response head, leaving the body in the returned stream.
Result<StreamingResponse> exchange(Client& client, const std::string& method,
                                   const std::string& target, const std::string& body,
                                   const std::string& content_type) {
  StreamingResponse resp;
  BERTH_TRY_ASSIGN(resp.fd, client.connect());
  http::Headers headers = request_headers(content_type, !body.empty());
  for (auto& [k, v] : client.extra_headers().list) headers.set(k, v);
  std::string text =
      http::format_request(method, target, headers, body, method_sends_length(method));
  BERTH_TRY_CTX(http::send_all(resp.fd.get(), text), method + " " + target);
  resp.stream = std::make_unique<http::Stream>(resp.fd.get());
  auto head = http::read_response_head(*resp.stream);
  if (!head.ok()) return std::move(head).error().context(method + " " + target);
  resp.status = head->status;
  resp.headers = std::move(head->headers);
  size_t length = 0;
  http::ResponseHead h{resp.status, "", resp.headers};
  auto mode = http::response_body_mode(method, h, &length);
  resp.body = http::BodyReader(resp.stream.get(), mode, length);
  return resp;
}

}  // namespace

// ---- StreamingResponse ----

Result<size_t> StreamingResponse::read_some(char* buf, size_t n) {
  if (!line_buf.empty()) {
    size_t take = std::min(n, line_buf.size());
    std::memcpy(buf, line_buf.data(), take);
    line_buf.erase(0, take);
    return take;
  }
  return body.read_some(buf, n);
}

Result<std::string> StreamingResponse::read_line() {
  while (true) {
    size_t nl = line_buf.find('\n');
    if (nl != std::string::npos) {
      std::string line = line_buf.substr(0, nl);
      line_buf.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    char buf[16384];
    BERTH_TRY_ASSIGN(size_t got, body.read_some(buf, sizeof buf));
    if (got == 0) {
      if (line_buf.empty()) return make_error(Code::kUnavailable, "end of stream");
      std::string rest = std::move(line_buf);
      line_buf.clear();
      return rest;
    }
    line_buf.append(buf, got);
  }
}

Result<std::string> StreamingResponse::read_all() {
  std::string out = std::move(line_buf);
  line_buf.clear();
  BERTH_TRY_ASSIGN(std::string rest, body.read_all());
  return out + rest;
}

// ---- Client ----

Result<UniqueFd> Client::connect() {
  if (host_.rfind("unix://", 0) == 0) return connect_unix(host_.substr(7));
  if (!host_.empty() && host_[0] == '/') return connect_unix(host_);
  if (host_.rfind("tcp://", 0) == 0) return connect_tcp(host_.substr(6));
  if (host_.rfind("http://", 0) == 0) return connect_tcp(host_.substr(7));
  return make_error(Code::kInvalidArgument, "unsupported host: " + host_);
}

Result<ClientResponse> Client::request(const std::string& method, const std::string& target,
                                       const std::string& body, const std::string& content_type) {
  BERTH_TRY_ASSIGN(StreamingResponse resp,
                   exchange(*this, method, prefix_ + target, body, content_type));
  ClientResponse out;
  out.status = resp.status;
  out.headers = std::move(resp.headers);
  BERTH_TRY_ASSIGN(out.body, resp.read_all());
  return out;
}

Result<StreamingResponse> Client::stream(const std::string& method, const std::string& target,
                                         const std::string& body, const std::string& content_type) {
  return exchange(*this, method, prefix_ + target, body, content_type);
}

Result<StreamingResponse> Client::stream_upload(const std::string& method,
                                                const std::string& target, int body_fd,
                                                const std::string& content_type) {
  StreamingResponse resp;
  BERTH_TRY_ASSIGN(resp.fd, connect());
  http::Headers headers = request_headers(content_type, true);
  for (auto& [k, v] : extra_headers_.list) headers.set(k, v);
  headers.set("Transfer-Encoding", "chunked");
  std::string path = prefix_ + target;
  BERTH_TRY(http::send_all(resp.fd.get(), http::format_request(method, path, headers, "", false)));
  std::vector<char> buf(1 << 20);
  while (true) {
    ssize_t n = ::read(body_fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("read request body");
    }
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", static_cast<size_t>(n));
    std::string chunk = size;
    chunk.append(buf.data(), static_cast<size_t>(n));
    chunk += "\r\n";  // after data; for n == 0 this makes "0\r\n\r\n", the end
    auto st = http::send_all(resp.fd.get(), chunk);
    if (!st.ok()) break;  // the server may have answered early (an error); read it below
    if (n == 0) break;
  }
  resp.stream = std::make_unique<http::Stream>(resp.fd.get());
  auto head = http::read_response_head(*resp.stream);
  if (!head.ok()) return std::move(head).error().context(method + " " + path);
  resp.status = head->status;
  resp.headers = head->headers;
  size_t length = 0;
  auto mode = http::response_body_mode(method, *head, &length);
  resp.body = http::BodyReader(resp.stream.get(), mode, length);
  return resp;
}

Result<Hijacked> Client::hijack(const std::string& method, const std::string& target,
                                const std::string& body) {
  BERTH_TRY_ASSIGN(UniqueFd fd, connect());
  http::Headers headers;
  headers.set("Host", "berth");
  headers.set("User-Agent", "berth-cli/0.1");
  // A body is JSON (exec start's); berthd refuses any other type for it, as dockerd does.
  headers.set("Content-Type", body.empty() ? "text/plain" : "application/json");
  headers.set("Connection", "Upgrade");
  headers.set("Upgrade", "tcp");
  std::string path = prefix_ + target;
  BERTH_TRY(http::send_all(fd.get(), http::format_request(method, path, headers, body, true)));
  http::Stream stream(fd.get());
  auto head = http::read_response_head(stream);
  if (!head.ok()) return std::move(head).error().context(method + " " + path);
  if (head->status != 101 && head->status != 200) {
    size_t length = 0;
    auto mode = http::response_body_mode(method, *head, &length);
    http::BodyReader reader(&stream, mode, length);
    std::string text = reader.read_all(1 << 20).value_or("");
    return response_error(head->status, text);
  }
  Hijacked out;
  out.content_type = head->headers.get("Content-Type");
  out.buffered = stream.take_buffered();
  out.fd = std::move(fd);
  return out;
}

std::string Client::error_message(int status, const std::string& body) {
  auto j = parse_json(body, "error response");
  if (j.ok() && j->is_object()) {
    std::string msg = json_string(*j, "message");
    if (!msg.empty()) return msg;
  }
  std::string text = body;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return http::status_reason(status);
  return text;
}

Error Client::response_error(int status, const std::string& body) {
  return make_error(code_for_status(status), error_message(status, body));
}

}  // namespace berth::api
