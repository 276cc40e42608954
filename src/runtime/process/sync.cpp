#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "runtime/internal/process.h"

namespace berth::runtime {

Status send_sync(int fd, SyncMsg::Type type, const Error* error, int value, int pass_fd) {
  SyncMsg m{};
  m.type = type;
  m.code = value;
  if (error) {
    m.sys_errno = error->sys_errno;
    m.code = static_cast<int>(error->code);
    std::strncpy(m.message, error->message.c_str(), sizeof(m.message) - 1);
  }
  struct iovec iov {
    &m, sizeof(m)
  };
  alignas(struct cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (pass_fd >= 0) {
    msg.msg_control = buf;
    msg.msg_controllen = sizeof(buf);
    struct cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
  }
  ssize_t n;
  do n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof(m))) return sys_error("write to sync socket");
  return ok_status();
}

Result<SyncMsg> recv_sync(int fd, int* received_fd) {
  SyncMsg m{};
  struct iovec iov {
    &m, sizeof(m)
  };
  alignas(struct cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = buf;
  msg.msg_controllen = sizeof(buf);
  ssize_t n;
  do n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) return sys_error("read sync socket");
  if (n == 0) return make_error(Code::kUnavailable, "container init exited before reporting");
  if (n != static_cast<ssize_t>(sizeof(m)))
    return make_error(Code::kInternal, "short sync message");
  if (struct cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm && cm->cmsg_type == SCM_RIGHTS) {
    int got;
    std::memcpy(&got, CMSG_DATA(cm), sizeof(int));
    if (received_fd)
      *received_fd = got;
    else
      ::close(got);
  }
  m.message[sizeof(m.message) - 1] = 0;
  return m;
}

}  // namespace berth::runtime
