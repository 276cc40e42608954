// berth-shim's lifecycle, top to bottom.
#include "shim/shim.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "base/file.h"
#include "base/process.h"
#include "base/time.h"
#include "runtime/runtime.h"
#include "shim/exit_file.h"
#include "shim/shim_state.h"
#include "shim/socket_util.h"

namespace berth::shim {

namespace {

void report_ready(ShimState& s, const std::string& line) {
  if (s.config.ready_fd < 0) return;
  (void)write_all(s.config.ready_fd, line + "\n");
  ::close(s.config.ready_fd);
  s.config.ready_fd = -1;
}

void report_error(ShimState& s, const Error& e) {
  report_ready(s, "error " + std::to_string(static_cast<int>(e.code)) + " " +
                      std::to_string(e.sys_errno) + " " + e.message);
}

// fork, setsid, fork: the shim is nobody's child but init's (or a subreaper's) and has no
// controlling terminal; the first process exits so launch() can reap it at once.
void detach() {
  pid_t p = ::fork();
  if (p < 0) return;
  if (p > 0) ::_exit(0);
  ::setsid();
  p = ::fork();
  if (p > 0) ::_exit(0);
}

Result<UniqueFd> recv_fd(int sock) {
  char byte;
  struct iovec iov {
    &byte, 1
  };
  alignas(struct cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = buf;
  msg.msg_controllen = sizeof(buf);
  if (::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0) return sys_error("receive pty master");
  struct cmsghdr* cm = CMSG_FIRSTHDR(&msg);
  if (!cm || cm->cmsg_type != SCM_RIGHTS)
    return make_error(Code::kInternal, "no pty master received");
  int fd;
  std::memcpy(&fd, CMSG_DATA(cm), sizeof(int));
  return UniqueFd(fd);
}

// Creates the container with pipes (or a pty) as its stdio.
Status create_container(ShimState& s) {
  runtime::CreateOptions o;
  o.root = s.config.runtime_root;
  o.id = s.config.id;
  o.bundle = s.config.bundle;
  o.cgroup_root = s.config.cgroup_root;
  UniqueFd child_ends[3], console_peer;
  if (s.config.tty) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
      return sys_error("socketpair");
    console_peer = UniqueFd(sv[0]);
    child_ends[0] = UniqueFd(sv[1]);
    o.console_socket = sv[1];
  } else {
    int p[2];
    for (int i = 1; i <= 2; ++i) {
      if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe");
      s.out_fd[i - 1] = UniqueFd(p[0]);
      child_ends[i] = UniqueFd(p[1]);
    }
    if (s.config.open_stdin) {
      if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe");
      child_ends[0] = UniqueFd(p[0]);
      s.stdin_fd = UniqueFd(p[1]);
      ::fcntl(p[1], F_SETFL, O_NONBLOCK);
    } else {
      child_ends[0] = UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    }
    o.stdin_fd = child_ends[0].get();
    o.stdout_fd = child_ends[1].get();
    o.stderr_fd = child_ends[2].get();
  }
  BERTH_TRY_ASSIGN(s.init_pid, runtime::create(o));
  if (s.config.tty) {
    BERTH_TRY_ASSIGN(s.out_fd[0], recv_fd(console_peer.get()));
    if (s.config.open_stdin) s.stdin_fd = UniqueFd(::dup(s.out_fd[0].get()));
  }
  for (auto& fd : s.out_fd)
    if (fd) ::fcntl(fd.get(), F_SETFL, O_NONBLOCK);
  return ok_status();
}

Status setup_loop(ShimState& s) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  s.signal_fd = UniqueFd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!s.signal_fd) return sys_error("signalfd");
  s.epoll = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  if (!s.epoll) return sys_error("epoll_create1");
  BERTH_TRY_ASSIGN(s.listen_fd, listen_unix(s.config.state_dir + "/shim.sock"));
  for (int fd : {s.signal_fd.get(), s.listen_fd.get(), s.out_fd[0].get(), s.out_fd[1].get()}) {
    if (fd < 0) continue;
    struct epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(s.epoll.get(), EPOLL_CTL_ADD, fd, &ev) != 0) return sys_error("epoll_ctl");
  }
  return ok_status();
}

}  // namespace

int shim_main(const ShimConfig& config) {
  ShimState s;
  s.config = config;
  if (!config.foreground) detach();
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  ::signal(SIGPIPE, SIG_IGN);
  // An inherited SIG_IGN for SIGCHLD would make the kernel reap init behind our back.
  ::signal(SIGCHLD, SIG_DFL);
  // SIGCHLD is read from a signalfd; blocked before create so no exit is missed.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);

  if (auto st = make_dirs(config.state_dir, 0711); !st) {
    report_error(s, st.error());
    return 1;
  }
  auto log = LogWriter::open({config.log_driver, config.log_path, config.log_max_size,
                              config.log_max_files, config.log_attrs});
  if (!log) {
    report_error(s, log.error());
    return 1;
  }
  s.log = std::move(*log);
  if (auto st = create_container(s); !st) {
    report_error(s, st.error());
    return 1;
  }
  if (auto st = setup_loop(s); !st) {
    (void)runtime::remove(config.runtime_root, config.id, true, config.cgroup_root);
    report_error(s, st.error());
    return 1;
  }
  (void)write_file_atomic(config.state_dir + "/shim.pid", std::to_string(::getpid()));
  report_ready(s, "ok " + std::to_string(::getpid()));

  run_loop(s);

  ExitStatus exit;
  exit.exit_code = exit_code_from_status(s.exit_status);
  exit.finished_at = now_nanos();
  exit.oom_killed = runtime::oom_killed(config.runtime_root, config.id, config.cgroup_root);
  s.log.flush();
  (void)write_exit_file(config.state_dir, exit);
  ::unlink((config.state_dir + "/shim.sock").c_str());
  finish_clients(s, exit);
  (void)runtime::remove(config.runtime_root, config.id, true, config.cgroup_root);
  ::unlink((config.state_dir + "/shim.pid").c_str());
  return 0;
}

}  // namespace berth::shim
