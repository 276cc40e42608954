// Links, addresses and routes over rtnetlink (libnl-route), and network namespaces as bind-mounted
// nsfs files.  Work inside a namespace is done by the calling thread, which setns'es there and
// back (setns(CLONE_NEWNET) changes the calling thread only): no helper threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/error.h"

namespace berth::network {

// Creates (or adopts) bridge `name` with `gateway`/`prefix` on it, and brings it up.
Status ensure_bridge(const std::string& name, uint32_t gateway, int prefix);
Status delete_link(const std::string& name);  // absent is fine
bool link_exists(const std::string& name);

// A new empty netns pinned at `path` (a file it creates), loopback up.
Status create_netns(const std::string& path);
Status remove_netns(const std::string& path);  // unmount and unlink; absent is fine
// Runs `fn` with the calling thread in the netns at `path`, then brings the thread back.
Status in_netns(const std::string& path, const std::function<Status()>& fn);

struct VethRequest {
  std::string netns_path;
  std::string bridge;
  std::string host_name;   // "veth1a2b3c4"
  std::string inner_name;  // "eth0"
  uint32_t ip = 0;
  int prefix = 0;
  uint32_t gateway = 0;
  bool default_route = true;
  std::string mac;
};
// A veth pair: host end on the bridge and up; the other end in the netns, addressed and up,
// with the default route through the gateway.
Status create_veth(const VethRequest& request);

}  // namespace berth::network
