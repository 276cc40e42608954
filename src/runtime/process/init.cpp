// The container's init, from clone to execve, top to bottom.  Runs in the cloned child of a
// single-threaded caller; errors go to the parent over the sync socket.
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "base/file.h"
#include "runtime/internal/process.h"
#include "runtime/internal/rootfs.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace berth::runtime {

namespace {

int rlimit_number(const std::string& name) {
  static const std::pair<const char*, int> kLimits[] = {
      {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
      {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
      {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
      {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME}};
  for (auto& [n, v] : kLimits)
    if (name == n) return v;
  return -1;
}

Status setup_stdio(const InitConfig& c) {
  for (int i = 0; i < 3; ++i) {
    int fd = c.stdio[i];
    if (fd < 0) continue;
    if (fd == i) {
      ::fcntl(i, F_SETFD, 0);
    } else if (::dup2(fd, i) < 0) {
      return sys_error("dup2 stdio");
    }
  }
  return ok_status();
}

// Opens a pty in the container's devpts and sends the master to the console socket.
Status setup_console(const InitConfig& c) {
  int master = ::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return sys_error("open /dev/ptmx");
  int unlock = 0;
  if (::ioctl(master, TIOCSPTLCK, &unlock) != 0) return sys_error("unlock pty");
  int slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) return sys_error("open pty peer");
  if (auto& cs = c.spec->process.console_size) {
    struct winsize ws {};
    ws.ws_row = static_cast<unsigned short>(cs->height);
    ws.ws_col = static_cast<unsigned short>(cs->width);
    ::ioctl(master, TIOCSWINSZ, &ws);
  }
  char byte = 'c';
  struct iovec iov {
    &byte, 1
  };
  alignas(struct cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = buf;
  msg.msg_controllen = sizeof(buf);
  struct cmsghdr* cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cm), &master, sizeof(int));
  if (::sendmsg(c.console_socket, &msg, MSG_NOSIGNAL) < 0)
    return sys_error("send pty to console socket");
  ::close(master);
  ::close(c.console_socket);
  for (int i = 0; i < 3; ++i)
    if (::dup2(slave, i) < 0) return sys_error("dup2 pty");
  if (slave > 2) ::close(slave);
  if (::ioctl(0, TIOCSCTTY, 0) != 0) return sys_error("set controlling terminal");
  return ok_status();
}

Status set_user(const oci::Process& p) {
  if (p.capabilities) {
    BERTH_TRY(drop_bounding(*p.capabilities));
    ::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
  }
  std::vector<gid_t> groups(p.user.additional_gids.begin(), p.user.additional_gids.end());
  if (::setgroups(groups.size(), groups.data()) != 0 && errno != EPERM)
    return sys_error("setgroups");
  if (::setresgid(p.user.gid, p.user.gid, p.user.gid) != 0)
    return sys_error("setgid " + std::to_string(p.user.gid));
  if (::setresuid(p.user.uid, p.user.uid, p.user.uid) != 0)
    return sys_error("setuid " + std::to_string(p.user.uid));
  if (p.capabilities) {
    ::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    BERTH_TRY(apply_capabilities(*p.capabilities));
  }
  return ok_status();
}

// Everything from the go signal to just before exec; returns the executable's path.
Result<std::string> init_steps(const InitConfig& c) {
  const oci::Spec& spec = *c.spec;
  BERTH_TRY_ASSIGN(SyncMsg go, recv_sync(c.sync_fd));
  if (go.type != SyncMsg::kGo) return make_error(Code::kInternal, "unexpected sync message");
  if (c.user_ns && (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0))
    return sys_error("become root in the user namespace");
  for (auto& [fd, type] : c.join_ns) {
    if (::setns(fd, type) != 0) return sys_error("join namespace");
    ::close(fd);
  }
  if (c.new_cgroupns && ::unshare(CLONE_NEWCGROUP) != 0)
    return sys_error("unshare cgroup namespace");
  if (::setsid() < 0) return sys_error("setsid");
  if (c.console_socket < 0) BERTH_TRY(setup_stdio(c));

  BERTH_TRY_CTX(prepare_rootfs(spec, c.rootfs), "prepare rootfs " + c.rootfs);
  BERTH_TRY(pivot_root_to(c.rootfs));
  if (c.console_socket >= 0) BERTH_TRY(setup_console(c));
  BERTH_TRY(finish_rootfs(spec));

  if (oci::find_namespace(spec, "uts")) {
    if (!spec.hostname.empty() && ::sethostname(spec.hostname.data(), spec.hostname.size()) != 0)
      return sys_error("sethostname " + spec.hostname);
    if (!spec.domainname.empty() &&
        ::setdomainname(spec.domainname.data(), spec.domainname.size()) != 0)
      return sys_error("setdomainname " + spec.domainname);
  }
  for (auto& rl : spec.process.rlimits) {
    int res = rlimit_number(rl.type);
    if (res < 0) return make_error(Code::kInvalidArgument, "unknown rlimit " + rl.type);
    struct rlimit lim {
      rl.soft, rl.hard
    };
    if (::setrlimit(res, &lim) != 0) return sys_error("setrlimit " + rl.type);
  }
  if (spec.process.oom_score_adj)
    BERTH_TRY(write_file("/proc/self/oom_score_adj", std::to_string(*spec.process.oom_score_adj)));
  BERTH_TRY(set_user(spec.process));
  if (spec.process.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return sys_error("set no_new_privs");
  if (::chdir(spec.process.cwd.c_str()) != 0)
    return sys_error("chdir to cwd \"" + spec.process.cwd + "\"");
  ::umask(spec.process.user.umask.value_or(022));
  if (spec.process.args.empty()) return make_error(Code::kInvalidArgument, "process.args is empty");
  return find_executable(spec.process.args[0], spec.process.env);
}

}  // namespace

void run_init(const InitConfig& c) {
  auto exe = init_steps(c);
  if (!exe) {
    (void)send_sync(c.sync_fd, SyncMsg::kError, &exe.error());
    ::_exit(1);
  }
  // Everything the caller had open must not reach the container process.
  ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  if (!send_sync(c.sync_fd, SyncMsg::kReady)) ::_exit(1);
  ::close(c.sync_fd);

  // Block until `start` opens the fifo for reading.  The fifo's host path is gone after
  // pivot_root, so it is reopened through the O_PATH fd.
  std::string proc_path = "/proc/self/fd/" + std::to_string(c.fifo_fd);
  int fifo = ::open(proc_path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fifo < 0 || ::write(fifo, "0", 1) != 1) {
    dprintf(2, "berth-runtime: open exec fifo: %s\n", strerror(errno));
    ::_exit(127);
  }
  ::close(fifo);
  ::close(c.fifo_fd);

  std::vector<char*> argv, envp;
  for (auto& a : c.spec->process.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& e : c.spec->process.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execve(exe->c_str(), argv.data(), envp.data());
  dprintf(2, "berth-runtime: exec %s: %s\n", exe->c_str(), strerror(errno));
  ::_exit(errno == ENOENT ? 127 : 126);
}

}  // namespace berth::runtime
