#include <sys/socket.h>

#include <cstring>

#include "runtime/internal/process.h"

namespace berth::runtime {

Status send_sync(int fd, SyncMsg::Type type, const Error* error) {
  SyncMsg m{};
  m.type = type;
  if (error) {
    m.sys_errno = error->sys_errno;
    m.code = static_cast<int>(error->code);
    std::strncpy(m.message, error->message.c_str(), sizeof(m.message) - 1);
  }
  ssize_t n;
  do n = ::send(fd, &m, sizeof(m), MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof(m))) return sys_error("write to sync socket");
  return ok_status();
}

Result<SyncMsg> recv_sync(int fd) {
  SyncMsg m{};
  ssize_t n;
  do n = ::recv(fd, &m, sizeof(m), 0);
  while (n < 0 && errno == EINTR);
  if (n < 0) return sys_error("read sync socket");
  if (n == 0) return make_error(Code::kUnavailable, "container init exited before reporting");
  if (n != static_cast<ssize_t>(sizeof(m)))
    return make_error(Code::kInternal, "short sync message");
  m.message[sizeof(m.message) - 1] = 0;
  return m;
}

}  // namespace berth::runtime
