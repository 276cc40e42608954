#include "network/dns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "base/strings.h"
#include "network/netlink.h"

namespace berth::network {

namespace {
constexpr uint16_t kTypeA = 1;
}

bool parse_question(const std::string& p, std::string* name, uint16_t* qtype, size_t* end) {
  if (p.size() < 12) return false;
  size_t i = 12;
  name->clear();
  while (i < p.size()) {
    auto len = static_cast<unsigned char>(p[i++]);
    if (len == 0) break;
    if (len > 63 || i + len > p.size()) return false;
    if (!name->empty()) *name += '.';
    *name += to_lower(p.substr(i, len));
    i += len;
  }
  if (i + 4 > p.size()) return false;
  *qtype = static_cast<uint16_t>((static_cast<unsigned char>(p[i]) << 8) |
                                 static_cast<unsigned char>(p[i + 1]));
  *end = i + 4;
  return true;
}

std::string make_reply(const std::string& q, size_t qend, const std::vector<uint32_t>& ips,
                       bool nxdomain) {
  std::string r = q.substr(0, qend);
  r[2] = static_cast<char>(0x80 | (q[2] & 0x01) | (q[2] & 0x78) | 0x04);  // QR, AA, RD copied
  r[3] = static_cast<char>(0x80 | (nxdomain ? 3 : 0));                    // RA, rcode
  r[4] = 0, r[5] = 1;                                                     // one question
  r[6] = 0, r[7] = static_cast<char>(ips.size());
  r[8] = r[9] = r[10] = r[11] = 0;
  for (uint32_t ip : ips) {
    const char rr[] = {'\xc0', '\x0c', 0, 1, 0, 1, 0, 0, 0, 10, 0, 4};  // name ptr, A, IN, TTL 10
    r.append(rr, sizeof rr);
    for (int s = 24; s >= 0; s -= 8) r += static_cast<char>((ip >> s) & 0xff);
  }
  return r;
}

std::vector<std::string> nameservers(const std::string& resolv_conf, bool skip_loopback) {
  std::vector<std::string> out;
  for (auto& line : split(resolv_conf, '\n')) {
    auto fields = split(trim(line), ' ');
    if (fields.size() < 2 || fields[0] != "nameserver") continue;
    std::string ns = trim(fields.back());
    if (skip_loopback && (ns.rfind("127.", 0) == 0 || ns == "::1")) continue;
    out.push_back(ns);
  }
  return out;
}

DnsServer::DnsServer(DnsResolver resolver, std::vector<std::string> upstreams)
    : resolver_(std::move(resolver)), upstreams_(std::move(upstreams)) {
  wake_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  thread_ = std::thread([this] { serve(); });
}

DnsServer::~DnsServer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
  thread_.join();
}

Status DnsServer::add(const std::string& sandbox, const std::string& netns_path) {
  auto fd = std::make_shared<UniqueFd>();
  BERTH_TRY(in_netns(netns_path, [&]() -> Status {
    *fd = UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!*fd) return sys_error("socket");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(53);
    a.sin_addr.s_addr = htonl(0x7f00000b);  // 127.0.0.11
    if (::bind(fd->get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      return sys_error("bind 127.0.0.11:53");
    return ok_status();
  }));
  {
    std::lock_guard lock(mu_);
    sockets_[sandbox] = fd;
  }
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
  return ok_status();
}

void DnsServer::remove(const std::string& sandbox) {
  {
    std::lock_guard lock(mu_);
    sockets_.erase(sandbox);
  }
  uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

void DnsServer::serve() {
  for (;;) {
    std::vector<std::pair<std::string, std::shared_ptr<UniqueFd>>> socks;
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      socks.assign(sockets_.begin(), sockets_.end());
    }
    std::vector<pollfd> fds{{wake_.get(), POLLIN, 0}};
    for (auto& [id, fd] : socks) fds.push_back({fd->get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents) {
      uint64_t n;
      (void)!::read(wake_.get(), &n, sizeof n);
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      char buf[1500];
      sockaddr_in peer{};
      socklen_t len = sizeof peer;
      ssize_t n =
          ::recvfrom(fds[i].fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&peer), &len);
      if (n <= 0) continue;
      answer(socks[i - 1].second, socks[i - 1].first, std::string(buf, static_cast<size_t>(n)),
             std::string(reinterpret_cast<char*>(&peer), len));
    }
  }
}

void DnsServer::answer(const std::shared_ptr<UniqueFd>& sock, const std::string& sandbox,
                       const std::string& query, const std::string& peer) {
  std::string name;
  uint16_t qtype = 0;
  size_t qend = 0;
  if (!parse_question(query, &name, &qtype, &qend)) return;
  std::vector<uint32_t> ips = resolver_(sandbox, name);
  auto send = [sock, peer](const std::string& reply) {
    (void)::sendto(sock->get(), reply.data(), reply.size(), 0,
                   reinterpret_cast<const sockaddr*>(peer.data()),
                   static_cast<socklen_t>(peer.size()));
  };
  if (!ips.empty()) {
    send(make_reply(query, qend, qtype == kTypeA ? ips : std::vector<uint32_t>{}, false));
    return;
  }
  if (upstreams_.empty() || name.find('.') == std::string::npos) {
    send(make_reply(query, qend, {}, true));
    return;
  }
  // Forwarded from the daemon's namespace; the reply goes out of the container's socket, kept
  // alive by the shared_ptr even if the container went away meanwhile.
  std::string upstream = upstreams_[0];
  std::thread([query, upstream, send] {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(53);
    if (!s || ::inet_pton(AF_INET, upstream.c_str(), &a.sin_addr) != 1) return;
    timeval tv{3, 0};
    ::setsockopt(s.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::sendto(s.get(), query.data(), query.size(), 0, reinterpret_cast<sockaddr*>(&a),
                 sizeof a) < 0)
      return;
    char buf[4096];
    ssize_t n = ::recv(s.get(), buf, sizeof buf, 0);
    if (n > 0) send(std::string(buf, static_cast<size_t>(n)));
  }).detach();
}

}  // namespace berth::network
