#include "api/http/server.h"

#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "api/http/wire.h"
#include "base/file.h"

namespace berth::api::http {

namespace {

std::string head_line(int status, const std::string& reason_override = "") {
  return "HTTP/1.1 " + std::to_string(status) + " " +
         (reason_override.empty() ? status_reason(status) : reason_override) + "\r\n";
}

std::string format_headers(const Headers& headers) {
  std::string out;
  for (const auto& [k, v] : headers.list) out += k + ": " + v + "\r\n";
  return out;
}

bool wants_close(const Request& req) {
  std::string conn = req.headers.get("Connection");
  for (char& c : conn) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return conn.find("close") != std::string::npos;
}

void serve_connection(UniqueFd fd, const Handler& handler) {
  Stream stream(fd.get());
  while (true) {
    auto req = read_request(stream);
    if (!req.ok()) {
      if (req.error().code != Code::kUnavailable && req.error().code != Code::kDataLoss) {
        std::string body = "{\"message\":\"bad request: " + req.error().message + "\"}\n";
        (void)send_all(fd.get(), head_line(400) + "Content-Type: application/json\r\n" +
                                     "Content-Length: " + std::to_string(body.size()) +
                                     "\r\nConnection: close\r\n\r\n" + body);
      }
      return;
    }
    if (req->headers.get("Expect") == "100-continue") {
      if (!send_all(fd.get(), "HTTP/1.1 100 Continue\r\n\r\n").ok()) return;
    }
    ResponseWriter writer(&stream);
    writer.set_head_request(req->method == "HEAD");
    handler(*req, writer);
    if (writer.hijacked()) return;
    if (!writer.responded()) {
      if (!writer.send(500, "{\"message\":\"the handler sent no response\"}\n").ok()) return;
    }
    if (writer.stream_open()) {
      if (!writer.end().ok()) return;
    }
    if (!writer.keep_alive() || wants_close(*req)) return;
    // The handler may have left part of the body unread; skip it to reach the next request.
    if (!req->body.drain().ok()) return;
  }
}

Result<UniqueFd> listen_unix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return make_error(Code::kInvalidArgument, "socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys_error("socket");
  size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) (void)make_dirs(path.substr(0, slash), 0755);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      return make_error(Code::kAlreadyExists, "listen on " + path + ": exists and is not a socket");
    if (::unlink(path.c_str()) != 0) return sys_error("remove stale socket " + path);
  }
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return sys_error("bind " + path);
  if (::chmod(path.c_str(), 0660) != 0) return sys_error("chmod " + path);
  if (::listen(fd.get(), 128) != 0) return sys_error("listen on " + path);
  return fd;
}

Result<UniqueFd> listen_tcp(const std::string& hostport) {
  size_t colon = hostport.rfind(':');
  if (colon == std::string::npos)
    return make_error(Code::kInvalidArgument, "tcp address without a port: " + hostport);
  std::string host = hostport.substr(0, colon);
  std::string port = hostport.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0)
    return make_error(Code::kInvalidArgument, "resolve " + hostport + ": " + ::gai_strerror(rc));
  Error last = make_error(Code::kUnavailable, "no address for " + hostport);
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    UniqueFd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (!fd) {
      last = sys_error("socket");
      continue;
    }
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
      last = sys_error("bind " + hostport);
      continue;
    }
    if (::listen(fd.get(), 128) != 0) {
      last = sys_error("listen on " + hostport);
      continue;
    }
    ::freeaddrinfo(res);
    return fd;
  }
  ::freeaddrinfo(res);
  return last;
}

}  // namespace

// ---- ResponseWriter ----

Status ResponseWriter::send(int status, const std::string& body, const std::string& content_type) {
  if (responded_) return make_error(Code::kInternal, "response already sent");
  responded_ = true;
  std::string out = head_line(status);
  bool bodiless = status == 204 || status == 304 || (status >= 100 && status < 200);
  if (!bodiless) {
    if (!content_type.empty() && !headers_.has("Content-Type"))
      headers_.set("Content-Type", content_type);
    headers_.set("Content-Length", std::to_string(body.size()));
  }
  out += format_headers(headers_) + "\r\n";
  if (!bodiless && !head_) out += body;
  auto st = send_all(stream_->fd(), out);
  if (!st.ok()) keep_alive_ = false;
  return st;
}

Status ResponseWriter::begin_stream(int status, const std::string& content_type) {
  if (responded_) return make_error(Code::kInternal, "response already sent");
  responded_ = true;
  if (!content_type.empty()) headers_.set("Content-Type", content_type);
  if (head_) {
    ended_ = true;  // nothing but the head for HEAD
    return send_all(stream_->fd(), head_line(status) + format_headers(headers_) + "\r\n");
  }
  chunked_ = true;
  headers_.set("Transfer-Encoding", "chunked");
  auto st = send_all(stream_->fd(), head_line(status) + format_headers(headers_) + "\r\n");
  if (!st.ok()) keep_alive_ = false;
  return st;
}

Status ResponseWriter::write(std::string_view data) {
  if (!chunked_) {
    if (head_) return ok_status();
    return make_error(Code::kInternal, "write() without begin_stream()");
  }
  if (ended_) return make_error(Code::kInternal, "write() after end()");
  if (data.empty()) return ok_status();  // an empty chunk would end the body
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out = size;
  out.append(data);
  out += "\r\n";
  auto st = send_all(stream_->fd(), out);
  if (!st.ok()) keep_alive_ = false;
  return st;
}

Status ResponseWriter::end() {
  if (!chunked_ || ended_) return ok_status();
  ended_ = true;
  auto st = send_all(stream_->fd(), "0\r\n\r\n");
  if (!st.ok()) keep_alive_ = false;
  return st;
}

namespace {
// Waits (at most `max_ms`) until the peer has read what was sent.  Clients that read the head
// through a buffered reader and then switch to the raw socket (the Python docker SDK) lose any
// stream bytes that arrived with the head; dockerd's replies are rarely that quick, ours are.
// SIOCOUTQ counts, on a unix socket, bytes the peer has not read yet (on TCP, not yet acked).
void wait_until_read(int fd, int max_ms) {
  for (int waited = 0; waited < max_ms * 10; ++waited) {
    int queued = 0;
    if (::ioctl(fd, SIOCOUTQ, &queued) != 0 || queued == 0) return;
    ::usleep(100);
  }
}
}  // namespace

Result<UniqueFd> ResponseWriter::hijack(const Request& request, const std::string& content_type,
                                        std::string* buffered) {
  if (responded_) return make_error(Code::kInternal, "hijack after a response was sent");
  responded_ = true;
  hijacked_ = true;
  keep_alive_ = false;
  std::string upgrade = request.headers.get("Upgrade");
  bool upgrading = !upgrade.empty();
  std::string out;
  if (upgrading) {
    // Docker's daemon answers "101 UPGRADED"; clients only look at the code.
    out = head_line(101, "UPGRADED");
    headers_.set("Connection", "Upgrade");
    headers_.set("Upgrade", upgrade);
  } else {
    out = head_line(200);
  }
  if (!content_type.empty()) headers_.set("Content-Type", content_type);
  out += format_headers(headers_) + "\r\n";
  BERTH_TRY_CTX(send_all(stream_->fd(), out), "hijack");
  wait_until_read(stream_->fd(), 100);
  if (buffered != nullptr) *buffered = stream_->take_buffered();
  int fd = ::fcntl(stream_->fd(), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return sys_error("hijack: dup socket");
  return UniqueFd(fd);
}

bool ResponseWriter::client_gone() const {
  pollfd p{stream_->fd(), POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

// ---- Server ----

Server::Server(UniqueFd fd, std::string address, Handler handler)
    : fd_(std::move(fd)), address_(std::move(address)), handler_(std::move(handler)) {}

Server::~Server() { shutdown(); }

Result<std::unique_ptr<Server>> Server::listen(const std::string& address, Handler handler) {
  UniqueFd fd;
  if (address.rfind("unix://", 0) == 0) {
    BERTH_TRY_ASSIGN(fd, listen_unix(address.substr(7)));
  } else if (!address.empty() && address[0] == '/') {
    BERTH_TRY_ASSIGN(fd, listen_unix(address));
  } else if (address.rfind("tcp://", 0) == 0) {
    BERTH_TRY_ASSIGN(fd, listen_tcp(address.substr(6)));
  } else {
    return make_error(Code::kInvalidArgument, "unsupported listen address: " + address);
  }
  return std::unique_ptr<Server>(new Server(std::move(fd), address, std::move(handler)));
}

void Server::serve() {
  auto handler = std::make_shared<Handler>(handler_);
  while (!stopping_.load()) {
    int conn = ::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (stopping_.load()) break;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        ::usleep(100 * 1000);  // out of descriptors: back off instead of spinning
        continue;
      }
      break;  // the listener is gone
    }
    if (address_.rfind("tcp://", 0) == 0) {
      int one = 1;
      ::setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    std::thread([fd = UniqueFd(conn), handler]() mutable {
      serve_connection(std::move(fd), *handler);
    }).detach();
  }
}

void Server::shutdown() {
  if (stopping_.exchange(true)) return;
  // shutdown() on a listening socket wakes a blocked accept() on Linux (EINVAL).
  if (fd_) ::shutdown(fd_.get(), SHUT_RDWR);
}

}  // namespace berth::api::http
