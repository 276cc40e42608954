#include "shim/socket_util.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace berth::shim {

namespace {
// Fills addr; a long path is reached through an O_PATH fd of its directory kept in *dir.
Status make_addr(const std::string& path, sockaddr_un* addr, UniqueFd* dir) {
  addr->sun_family = AF_UNIX;
  std::string p = path;
  if (p.size() >= sizeof(addr->sun_path)) {
    auto slash = path.rfind('/');
    *dir = UniqueFd(::open(path.substr(0, slash).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!*dir) return sys_error("open " + path.substr(0, slash));
    p = "/proc/self/fd/" + std::to_string(dir->get()) + path.substr(slash);
    if (p.size() >= sizeof(addr->sun_path))
      return make_error(Code::kInvalidArgument, "socket name too long: " + path);
  }
  std::memcpy(addr->sun_path, p.c_str(), p.size() + 1);
  return ok_status();
}
}  // namespace

Result<UniqueFd> connect_unix(const std::string& path) {
  sockaddr_un addr{};
  UniqueFd dir;
  BERTH_TRY(make_addr(path, &addr, &dir));
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys_error("socket");
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    Error e = sys_error("connect " + path);
    if (errno == ENOENT || errno == ECONNREFUSED) e.code = Code::kUnavailable;
    return e;
  }
  return fd;
}

Result<UniqueFd> listen_unix(const std::string& path) {
  sockaddr_un addr{};
  UniqueFd dir;
  BERTH_TRY(make_addr(path, &addr, &dir));
  ::unlink(path.c_str());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return sys_error("socket");
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    return sys_error("bind " + path);
  if (::listen(fd.get(), 64) != 0) return sys_error("listen " + path);
  return fd;
}

Result<std::string> read_line(int fd, size_t max) {
  std::string line;
  while (line.size() < max) {
    char c;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read");
    if (n == 0) return make_error(Code::kUnavailable, "connection closed");
    if (c == '\n') return line;
    line.push_back(c);
  }
  return make_error(Code::kInvalidArgument, "line too long");
}

}  // namespace berth::shim
