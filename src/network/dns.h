// The embedded DNS server: for each container on a user-defined network, a UDP socket and a TCP
// listener bound to 127.0.0.11:53 inside the container's netns (made there, served from the
// daemon), as Docker's.  Names the resolver knows are answered (A records); others are forwarded
// to the host's resolvers from the daemon's namespace, over the transport the query came on.
// A UDP answer too big for 512 bytes is truncated (TC), so the client asks again over TCP.
// One thread serves every UDP socket and accepts TCP connections; each TCP connection gets a
// thread of its own (few: clients use TCP only after a truncated reply).  Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"

namespace berth::network {

// (sandbox id, lower-case name without the final dot) -> IPv4 addresses (host order); empty =
// not ours, forward it.
using DnsResolver =
    std::function<std::vector<uint32_t>(const std::string& sandbox, const std::string& name)>;

class DnsServer {
 public:
  explicit DnsServer(DnsResolver resolver, std::vector<std::string> upstreams);
  ~DnsServer();
  Status add(const std::string& sandbox, const std::string& netns_path);
  void remove(const std::string& sandbox);

 private:
  struct Listener {  // shared: kept open while the serving thread polls them
    std::shared_ptr<UniqueFd> udp;
    std::shared_ptr<UniqueFd> tcp;
  };
  void serve();
  void wake();
  void answer_udp(const std::shared_ptr<UniqueFd>& sock, const std::string& sandbox,
                  const std::string& query, const std::string& peer);
  void accept_tcp(const std::string& sandbox, int listener);
  void serve_tcp(const std::string& sandbox, int conn);
  // Our answer to `query` (`*question_end` set), or "" when it is not ours to answer.
  std::string local_answer(const std::string& sandbox, const std::string& query,
                           size_t* question_end);
  DnsResolver resolver_;
  std::vector<std::string> upstreams_;
  std::mutex mu_;
  std::map<std::string, Listener> sockets_;
  std::set<int> connections_;  // open TCP connections, each served by its own thread
  std::condition_variable connections_done_;
  UniqueFd wake_;  // eventfd: the socket set changed, or stop
  bool stop_ = false;
  std::thread thread_;
};

constexpr size_t kDnsUdpMax = 512;  // RFC 1035 2.3.4, without EDNS

// Upstream nameservers from a resolv.conf text, skipping loopback ones when `skip_loopback`.
std::vector<std::string> nameservers(const std::string& resolv_conf, bool skip_loopback);
// Query parsing, for tests: the first question's name (lower case, no final dot) and type.
bool parse_question(const std::string& packet, std::string* name, uint16_t* qtype, size_t* end);
std::string make_reply(const std::string& query, size_t question_end,
                       const std::vector<uint32_t>& ips, bool nxdomain);
// `reply` as sent over UDP: unchanged when it fits, else its header and question with TC set.
std::string truncate_for_udp(const std::string& reply, size_t question_end);

}  // namespace berth::network
