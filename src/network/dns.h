// The embedded DNS server: for each container on a user-defined network, a UDP socket bound to
// 127.0.0.11:53 inside the container's netns (made there, served from one daemon thread).
// Names the resolver knows are answered (A records); others are forwarded to the host's
// resolvers from the daemon's namespace.  Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
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
  void serve();
  void answer(const std::shared_ptr<UniqueFd>& sock, const std::string& sandbox,
              const std::string& query, const std::string& peer);
  DnsResolver resolver_;
  std::vector<std::string> upstreams_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<UniqueFd>> sockets_;
  UniqueFd wake_;  // eventfd: the socket set changed, or stop
  bool stop_ = false;
  std::thread thread_;
};

// Upstream nameservers from a resolv.conf text, skipping loopback ones when `skip_loopback`.
std::vector<std::string> nameservers(const std::string& resolv_conf, bool skip_loopback);
// Query parsing, for tests: the first question's name (lower case, no final dot) and type.
bool parse_question(const std::string& packet, std::string* name, uint16_t* qtype, size_t* end);
std::string make_reply(const std::string& query, size_t question_end,
                       const std::vector<uint32_t>& ips, bool nxdomain);

}  // namespace berth::network
