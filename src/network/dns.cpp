#include "network/dns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "network/netlink.h"

namespace berth::network {

namespace {
constexpr uint16_t kTypeA = 1;
constexpr size_t kMaxTcpConnections = 64;
constexpr int kTimeoutSeconds = 3;

sockaddr_in dns_address(uint32_t ip) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(53);
  a.sin_addr.s_addr = htonl(ip);
  return a;
}

void set_timeouts(int fd) {
  timeval tv{kTimeoutSeconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // bounds connect() too
}

bool read_exact(int fd, char* buf, size_t n) {
  while (n > 0) {
    ssize_t got = ::recv(fd, buf, n, 0);
    if (got <= 0) return false;
    buf += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

// Over TCP each message is preceded by its length in two bytes (RFC 1035 4.2.2).
bool recv_tcp_message(int fd, std::string* msg) {
  unsigned char len[2];
  if (!read_exact(fd, reinterpret_cast<char*>(len), 2)) return false;
  msg->assign(static_cast<size_t>(len[0] << 8 | len[1]), '\0');
  return read_exact(fd, msg->data(), msg->size());
}

bool send_tcp_message(int fd, const std::string& msg) {
  if (msg.size() > 0xffff) return false;
  std::string out;
  out += static_cast<char>(msg.size() >> 8);
  out += static_cast<char>(msg.size() & 0xff);
  out += msg;
  return ::send(fd, out.data(), out.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(out.size());
}

// A socket of `type` connected to upstream:53 from the daemon's namespace, with timeouts.
UniqueFd upstream_socket(const std::string& upstream, int type) {
  sockaddr_in a = dns_address(0);
  UniqueFd s(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  if (!s || ::inet_pton(AF_INET, upstream.c_str(), &a.sin_addr) != 1) return UniqueFd();
  set_timeouts(s.get());
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return UniqueFd();
  return s;
}

std::string forward_tcp(const std::string& upstream, const std::string& query) {
  UniqueFd s = upstream_socket(upstream, SOCK_STREAM);
  std::string reply;
  if (!s || !send_tcp_message(s.get(), query) || !recv_tcp_message(s.get(), &reply)) return "";
  return reply;
}

Result<UniqueFd> bound_socket(int type) {
  UniqueFd fd(::socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return sys_error("socket");
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = dns_address(0x7f00000b);  // 127.0.0.11
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    return sys_error(std::string("bind 127.0.0.11:53/") + (type == SOCK_STREAM ? "tcp" : "udp"));
  if (type == SOCK_STREAM && ::listen(fd.get(), 16) != 0) return sys_error("listen");
  return fd;
}
}  // namespace

DnsServer::DnsServer(DnsResolver resolver, std::vector<std::string> upstreams)
    : resolver_(std::move(resolver)), upstreams_(std::move(upstreams)) {
  wake_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  thread_ = std::thread([this] { serve(); });
}

DnsServer::~DnsServer() {
  std::unique_lock lock(mu_);
  stop_ = true;
  for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
  lock.unlock();
  wake();
  thread_.join();
  lock.lock();
  connections_done_.wait(lock, [this] { return connections_.empty(); });
}

void DnsServer::wake() {
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

Status DnsServer::add(const std::string& sandbox, const std::string& netns_path) {
  Listener l;
  BERTH_TRY(in_netns(netns_path, [&]() -> Status {
    BERTH_TRY_ASSIGN(UniqueFd udp, bound_socket(SOCK_DGRAM));
    BERTH_TRY_ASSIGN(UniqueFd tcp, bound_socket(SOCK_STREAM));
    l.udp = std::make_shared<UniqueFd>(std::move(udp));
    l.tcp = std::make_shared<UniqueFd>(std::move(tcp));
    return ok_status();
  }));
  {
    std::lock_guard lock(mu_);
    sockets_[sandbox] = std::move(l);
  }
  wake();
  return ok_status();
}

void DnsServer::remove(const std::string& sandbox) {
  {
    std::lock_guard lock(mu_);
    sockets_.erase(sandbox);
  }
  wake();
}

void DnsServer::serve() {
  for (;;) {
    struct Polled {
      std::string sandbox;
      std::shared_ptr<UniqueFd> fd;  // kept open while polled, even if removed meanwhile
      bool tcp = false;
    };
    std::vector<Polled> polled;
    std::vector<pollfd> fds{{wake_.get(), POLLIN, 0}};
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      for (auto& [id, l] : sockets_) {
        polled.push_back({id, l.udp, false});
        fds.push_back({l.udp->get(), POLLIN, 0});
        polled.push_back({id, l.tcp, true});
        fds.push_back({l.tcp->get(), POLLIN, 0});
      }
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents) {
      uint64_t n;
      (void)!::read(wake_.get(), &n, sizeof n);
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      const Polled& p = polled[i - 1];
      if (p.tcp) {
        accept_tcp(p.sandbox, p.fd->get());
        continue;
      }
      char buf[1500];
      sockaddr_in peer{};
      socklen_t len = sizeof peer;
      ssize_t n =
          ::recvfrom(fds[i].fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&peer), &len);
      if (n <= 0) continue;
      answer_udp(p.fd, p.sandbox, std::string(buf, static_cast<size_t>(n)),
                 std::string(reinterpret_cast<char*>(&peer), len));
    }
  }
}

std::string DnsServer::local_answer(const std::string& sandbox, const std::string& query,
                                    size_t* qend) {
  std::string name;
  uint16_t qtype = 0;
  if (!parse_question(query, &name, &qtype, qend)) return "";
  std::vector<uint32_t> ips = resolver_(sandbox, name);
  if (!ips.empty())
    return make_reply(query, *qend, qtype == kTypeA ? ips : std::vector<uint32_t>{}, false);
  if (upstreams_.empty() || name.find('.') == std::string::npos)
    return make_reply(query, *qend, {}, true);
  return "";
}

void DnsServer::answer_udp(const std::shared_ptr<UniqueFd>& sock, const std::string& sandbox,
                           const std::string& query, const std::string& peer) {
  auto send = [sock, peer](const std::string& reply) {
    (void)::sendto(sock->get(), reply.data(), reply.size(), 0,
                   reinterpret_cast<const sockaddr*>(peer.data()),
                   static_cast<socklen_t>(peer.size()));
  };
  size_t qend = 0;
  std::string reply = local_answer(sandbox, query, &qend);
  if (!reply.empty()) {
    send(truncate_for_udp(reply, qend));
    return;
  }
  if (qend == 0) return;  // not a query we can read
  // Forwarded from the daemon's namespace; the reply goes out of the container's socket, kept
  // alive by the shared_ptr even if the container went away meanwhile.
  std::string upstream = upstreams_[0];
  std::thread([query, upstream, send] {
    UniqueFd s = upstream_socket(upstream, SOCK_DGRAM);
    if (!s || ::send(s.get(), query.data(), query.size(), 0) < 0) return;
    char buf[4096];
    ssize_t n = ::recv(s.get(), buf, sizeof buf, 0);
    if (n > 0) send(std::string(buf, static_cast<size_t>(n)));
  }).detach();
}

void DnsServer::accept_tcp(const std::string& sandbox, int listener) {
  UniqueFd conn(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return;
  {
    std::lock_guard lock(mu_);
    if (stop_ || connections_.size() >= kMaxTcpConnections) return;
    connections_.insert(conn.get());
  }
  set_timeouts(conn.get());
  std::thread([this, sandbox, fd = conn.release()] { serve_tcp(sandbox, fd); }).detach();
}

void DnsServer::serve_tcp(const std::string& sandbox, int fd) {
  UniqueFd conn(fd);
  std::string query;
  while (recv_tcp_message(conn.get(), &query)) {
    size_t qend = 0;
    std::string reply = local_answer(sandbox, query, &qend);
    if (reply.empty() && qend != 0) reply = forward_tcp(upstreams_[0], query);
    if (reply.empty() || !send_tcp_message(conn.get(), reply)) break;
  }
  std::lock_guard lock(mu_);
  connections_.erase(fd);
  conn.reset();  // closed before the destructor may go on
  connections_done_.notify_all();
}

}  // namespace berth::network
