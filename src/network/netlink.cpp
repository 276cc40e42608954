#include "network/netlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "base/file.h"
#include "base/unique_fd.h"
#include "network/ipam.h"

namespace berth::network {

namespace {
struct SockDel {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct LinkDel {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct AddrDel {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
using Sock = std::unique_ptr<nl_sock, SockDel>;
using Link = std::unique_ptr<rtnl_link, LinkDel>;
using Addr = std::unique_ptr<nl_addr, AddrDel>;

Error nl_error(const std::string& what, int err) {
  Code code = err == -NLE_EXIST                               ? Code::kAlreadyExists
              : err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV ? Code::kNotFound
                                                              : Code::kInternal;
  return make_error(code, what + ": " + nl_geterror(err));
}

Result<Sock> connect() {
  Sock sk(nl_socket_alloc());
  if (!sk) return make_error(Code::kInternal, "allocate netlink socket");
  if (int err = nl_connect(sk.get(), NETLINK_ROUTE); err < 0)
    return nl_error("connect rtnetlink", err);
  return sk;
}

Result<Link> get_link(nl_sock* sk, const std::string& name) {
  rtnl_link* link = nullptr;
  if (int err = rtnl_link_get_kernel(sk, 0, name.c_str(), &link); err < 0)
    return nl_error("get link " + name, err);
  return Link(link);
}

Status set_up(nl_sock* sk, rtnl_link* link, const std::string& name) {
  Link change(rtnl_link_alloc());
  rtnl_link_set_flags(change.get(), IFF_UP);
  if (int err = rtnl_link_change(sk, link, change.get(), 0); err < 0)
    return nl_error("set " + name + " up", err);
  return ok_status();
}

Status set_up(nl_sock* sk, const std::string& name) {
  BERTH_TRY_ASSIGN(Link link, get_link(sk, name));
  return set_up(sk, link.get(), name);
}

Result<Addr> ip_addr(uint32_t ip, int prefix) {
  nl_addr* a = nullptr;
  std::string text = format_ip(ip) + (prefix >= 0 ? "/" + std::to_string(prefix) : "");
  if (int err = nl_addr_parse(text.c_str(), AF_INET, &a); err < 0)
    return nl_error("parse " + text, err);
  return Addr(a);
}

Status add_address(nl_sock* sk, const std::string& name, uint32_t ip, int prefix) {
  BERTH_TRY_ASSIGN(Link link, get_link(sk, name));
  BERTH_TRY_ASSIGN(Addr local, ip_addr(ip, prefix));
  std::unique_ptr<rtnl_addr, void (*)(rtnl_addr*)> addr(rtnl_addr_alloc(), rtnl_addr_put);
  rtnl_addr_set_ifindex(addr.get(), rtnl_link_get_ifindex(link.get()));
  rtnl_addr_set_local(addr.get(), local.get());
  int err = rtnl_addr_add(sk, addr.get(), 0);
  if (err < 0 && err != -NLE_EXIST) return nl_error("add address to " + name, err);
  return ok_status();
}
}  // namespace

namespace {
// The calling thread in another network namespace until destroyed, then back in its own:
// setns(CLONE_NEWNET) changes only the calling thread and takes microseconds, where a helper
// thread to do the same costs a thread start (milliseconds when the cores are busy).
class NetnsSwitch {
 public:
  static Result<NetnsSwitch> enter(int target_fd) {
    UniqueFd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!home) return sys_error("open own netns");
    if (target_fd >= 0 && ::setns(target_fd, CLONE_NEWNET) != 0) return sys_error("setns");
    return NetnsSwitch(std::move(home));
  }
  // A new, empty namespace for the calling thread.
  static Result<NetnsSwitch> enter_new() {
    BERTH_TRY_ASSIGN(NetnsSwitch s, enter(-1));
    if (::unshare(CLONE_NEWNET) != 0) return sys_error("unshare network namespace");
    return s;
  }
  NetnsSwitch(NetnsSwitch&&) = default;
  ~NetnsSwitch() {
    // Failing to go back would leave a daemon thread in a container's namespace for good.
    if (home_ && ::setns(home_.get(), CLONE_NEWNET) != 0) {
      std::perror("berthd: setns back to the daemon's network namespace");
      std::abort();
    }
  }

 private:
  explicit NetnsSwitch(UniqueFd home) : home_(std::move(home)) {}
  UniqueFd home_;
};
}  // namespace

Status in_netns(const std::string& path, const std::function<Status()>& fn) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open netns " + path);
  auto inside = NetnsSwitch::enter(fd.get());
  if (!inside) return std::move(inside).error().context("enter netns " + path);
  return fn();
}

Status ensure_bridge(const std::string& name, uint32_t gateway, int prefix) {
  BERTH_TRY_ASSIGN(Sock sk, connect());
  if (!get_link(sk.get(), name)) {
    Link br(rtnl_link_bridge_alloc());
    rtnl_link_set_name(br.get(), name.c_str());
    int err = rtnl_link_add(sk.get(), br.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (err < 0 && err != -NLE_EXIST) return nl_error("create bridge " + name, err);
  }
  BERTH_TRY(add_address(sk.get(), name, gateway, prefix));
  BERTH_TRY(set_up(sk.get(), name));
  // Published ports on 127.0.0.1 are DNATed from loopback to the containers here (as dockerd
  // without its userland proxy): the kernel drops 127/8 sources on other links otherwise.
  (void)write_file("/proc/sys/net/ipv4/conf/" + name + "/route_localnet", "1");
  // Containers reach other hosts, and other hosts reach published ports, only through the
  // host's routing: dockerd turns IPv4 forwarding on with its first bridge (--ip-forward,
  // default true), and a fresh host has it off.
  auto forward = read_file("/proc/sys/net/ipv4/ip_forward");
  if (forward && forward->rfind('0', 0) == 0)
    BERTH_TRY_CTX(write_file("/proc/sys/net/ipv4/ip_forward", "1"), "enable IPv4 forwarding");
  return ok_status();
}

bool link_exists(const std::string& name) { return ::if_nametoindex(name.c_str()) != 0; }

Status delete_link(const std::string& name) {
  BERTH_TRY_ASSIGN(Sock sk, connect());
  Link link(rtnl_link_alloc());
  rtnl_link_set_name(link.get(), name.c_str());
  int err = rtnl_link_delete(sk.get(), link.get());
  if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV)
    return nl_error("delete link " + name, err);
  return ok_status();
}

Status create_netns(const std::string& path) {
  BERTH_TRY(write_file(path, "", 0444));
  Status result = [&]() -> Status {
    BERTH_TRY_ASSIGN(NetnsSwitch inside, NetnsSwitch::enter_new());
    if (::mount("/proc/thread-self/ns/net", path.c_str(), nullptr, MS_BIND, nullptr) != 0)
      return sys_error("bind netns to " + path);
    BERTH_TRY_ASSIGN(Sock sk, connect());
    return set_up(sk.get(), "lo");
  }();
  if (!result) (void)remove_netns(path);
  return result;
}

Status remove_netns(const std::string& path) {
  if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT)
    return sys_error("unmount netns " + path);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return sys_error("remove " + path);
  return ok_status();
}

Status create_veth(const VethRequest& r) {
  BERTH_TRY_ASSIGN(Sock sk, connect());
  BERTH_TRY_ASSIGN(Link bridge, get_link(sk.get(), r.bridge));
  UniqueFd ns(::open(r.netns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns) return sys_error("open netns " + r.netns_path);
  // One request makes both ends: the host end on the bridge and up, the peer moved into the
  // namespace (libnl's peer flags make the kernel refuse the request: it is set up there).
  Link veth(rtnl_link_veth_alloc());
  rtnl_link_set_name(veth.get(), r.host_name.c_str());
  rtnl_link_set_master(veth.get(), rtnl_link_get_ifindex(bridge.get()));
  rtnl_link_set_flags(veth.get(), IFF_UP);
  rtnl_link* peer = rtnl_link_veth_get_peer(veth.get());
  rtnl_link_set_name(peer, r.inner_name.c_str());
  rtnl_link_set_ns_fd(peer, ns.get());
  if (!r.mac.empty()) {
    nl_addr* mac = nullptr;
    if (nl_addr_parse(r.mac.c_str(), AF_LLC, &mac) == 0) {
      rtnl_link_set_addr(peer, mac);
      nl_addr_put(mac);
    }
  }
  rtnl_link_put(peer);
  if (int err = rtnl_link_add(sk.get(), veth.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0)
    return nl_error("create veth " + r.host_name, err);
  Status st = in_netns(r.netns_path, [&]() -> Status {
    BERTH_TRY_ASSIGN(Sock inner, connect());
    BERTH_TRY_ASSIGN(Link eth, get_link(inner.get(), r.inner_name));
    int index = rtnl_link_get_ifindex(eth.get());
    BERTH_TRY_ASSIGN(Addr local, ip_addr(r.ip, r.prefix));
    std::unique_ptr<rtnl_addr, void (*)(rtnl_addr*)> addr(rtnl_addr_alloc(), rtnl_addr_put);
    rtnl_addr_set_ifindex(addr.get(), index);
    rtnl_addr_set_local(addr.get(), local.get());
    if (int err = rtnl_addr_add(inner.get(), addr.get(), 0); err < 0 && err != -NLE_EXIST)
      return nl_error("add address to " + r.inner_name, err);
    BERTH_TRY(set_up(inner.get(), eth.get(), r.inner_name));
    if (!r.default_route) return ok_status();
    std::unique_ptr<rtnl_route, void (*)(rtnl_route*)> route(rtnl_route_alloc(), rtnl_route_put);
    BERTH_TRY_ASSIGN(Addr dst, ip_addr(0, 0));
    BERTH_TRY_ASSIGN(Addr gw, ip_addr(r.gateway, -1));
    rtnl_route_set_family(route.get(), AF_INET);
    rtnl_route_set_dst(route.get(), dst.get());
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    rtnl_route_nh_set_gateway(nh, gw.get());
    rtnl_route_nh_set_ifindex(nh, index);
    rtnl_route_add_nexthop(route.get(), nh);
    int err = rtnl_route_add(inner.get(), route.get(), 0);
    if (err < 0 && err != -NLE_EXIST) return nl_error("add default route", err);
    return ok_status();
  });
  if (!st) (void)delete_link(r.host_name);
  return st;
}

}  // namespace berth::network
