#include "network/port_reserve.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace berth::network {

Result<ReservedPort> reserve_port(const std::string& proto, const std::string& host_ip, int port) {
  ReservedPort r;
  r.fd = UniqueFd(::socket(AF_INET, (proto == "udp" ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0));
  if (!r.fd) return sys_error("socket");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  std::string ip = host_ip.empty() ? "0.0.0.0" : host_ip;
  if (::inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1)
    return make_error(Code::kInvalidArgument, "invalid host IP " + ip);
  if (::bind(r.fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    return sys_error("listen " + proto + "4 " + ip + ":" + std::to_string(port) + ": bind");
  socklen_t len = sizeof a;
  ::getsockname(r.fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  r.port = ntohs(a.sin_port);
  return r;
}

}  // namespace berth::network
