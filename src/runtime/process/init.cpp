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
#include "runtime/internal/security.h"

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

}  // namespace

Status setup_console(int console_socket, const oci::Process& p) {
  int master = ::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return sys_error("open /dev/ptmx");
  int unlock = 0;
  if (::ioctl(master, TIOCSPTLCK, &unlock) != 0) return sys_error("unlock pty");
  int slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) return sys_error("open pty peer");
  if (auto& cs = p.console_size) {
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
  if (::sendmsg(console_socket, &msg, MSG_NOSIGNAL) < 0)
    return sys_error("send pty to console socket");
  ::close(master);
  ::close(console_socket);
  for (int i = 0; i < 3; ++i)
    if (::dup2(slave, i) < 0) return sys_error("dup2 pty");
  if (slave > 2) ::close(slave);
  if (::ioctl(0, TIOCSCTTY, 0) != 0) return sys_error("set controlling terminal");
  return ok_status();
}

namespace {

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

}  // namespace

Status apply_rlimits(const oci::Process& p) {
  for (auto& rl : p.rlimits) {
    int res = rlimit_number(rl.type);
    if (res < 0) return make_error(Code::kInvalidArgument, "unknown rlimit " + rl.type);
    struct rlimit lim {
      rl.soft, rl.hard
    };
    if (::setrlimit(res, &lim) != 0) {
      int err = errno;
      struct rlimit cur {};
      ::getrlimit(res, &cur);
      // Raising a hard limit needs CAP_SYS_RESOURCE; nofile is also capped by fs.nr_open.
      return sys_error("setrlimit " + rl.type + " to soft " + std::to_string(rl.soft) + " hard " +
                           std::to_string(rl.hard) + " (current hard limit " +
                           (cur.rlim_max == RLIM_INFINITY ? std::string("unlimited")
                                                          : std::to_string(cur.rlim_max)) +
                           ")",
                       err);
    }
  }
  return ok_status();
}

Result<std::string> finalize_process(const oci::Process& p, SeccompFilter* seccomp) {
  BERTH_TRY(apply_lsm_labels(p));
  // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it while we have it.  The
  // syscalls that follow must then be allowed by the profile (Docker's allows them).
  if (seccomp && !p.no_new_privileges) BERTH_TRY(seccomp->load());
  BERTH_TRY(set_user(p));
  if (p.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return sys_error("set no_new_privs");
  if (::chdir(p.cwd.c_str()) != 0) return sys_error("chdir to cwd \"" + p.cwd + "\"");
  ::umask(p.user.umask.value_or(022));
  if (p.args.empty()) return make_error(Code::kInvalidArgument, "process.args is empty");
  return find_executable(p.args[0], p.env);
}

void exec_process(const oci::Process& p, const std::string& exe, SeccompFilter* seccomp) {
  std::vector<char*> argv, envp;
  for (auto& a : p.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& e : p.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // With no_new_privs the filter goes on last, so a profile need not allow our own steps.
  if (seccomp && p.no_new_privileges) {
    if (auto st = seccomp->load(); !st) {
      dprintf(2, "berth-runtime: %s\n", st.error().message.c_str());
      ::_exit(127);
    }
  }
  ::execve(exe.c_str(), argv.data(), envp.data());
  dprintf(2, "berth-runtime: exec %s: %s\n", exe.c_str(), strerror(errno));
  ::_exit(errno == ENOENT ? 127 : 126);
}

namespace {

oci::State hook_state(const InitConfig& c, pid_t pid, oci::Status status) {
  oci::State st;
  st.id = c.id;
  st.pid = pid;
  st.status = status;
  st.bundle = c.bundle;
  st.annotations = c.spec->annotations;
  return st;
}

// Everything from the go signal to just before exec; returns the executable's path.
Result<std::string> init_steps(const InitConfig& c, pid_t* host_pid) {
  const oci::Spec& spec = *c.spec;
  int rootfs_mount_fd = -1;
  BERTH_TRY_ASSIGN(SyncMsg go, recv_sync(c.sync_fd, &rootfs_mount_fd));
  if (go.type != SyncMsg::kGo) return make_error(Code::kInternal, "unexpected sync message");
  *host_pid = go.code;
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

  BERTH_TRY_CTX(prepare_rootfs(spec, c.rootfs, rootfs_mount_fd), "prepare rootfs " + c.rootfs);
  if (c.hooks_sync) {
    BERTH_TRY(send_sync(c.sync_fd, SyncMsg::kMounted));
    BERTH_TRY_ASSIGN(SyncMsg cont, recv_sync(c.sync_fd));
    if (cont.type != SyncMsg::kGo) return make_error(Code::kInternal, "unexpected sync message");
  }
  BERTH_TRY(run_hooks(spec.hooks.create_container, hook_state(c, *host_pid, oci::Status::kCreating),
                      "createContainer"));
  BERTH_TRY(pivot_root_to(c.rootfs));
  if (c.console_socket >= 0) BERTH_TRY(setup_console(c.console_socket, spec.process));
  BERTH_TRY(finish_rootfs(spec));

  if (oci::find_namespace(spec, "uts")) {
    if (!spec.hostname.empty() && ::sethostname(spec.hostname.data(), spec.hostname.size()) != 0)
      return sys_error("sethostname " + spec.hostname);
    if (!spec.domainname.empty() &&
        ::setdomainname(spec.domainname.data(), spec.domainname.size()) != 0)
      return sys_error("setdomainname " + spec.domainname);
  }
  BERTH_TRY(apply_rlimits(spec.process));
  if (spec.process.oom_score_adj)
    BERTH_TRY_CTX(
        write_file("/proc/self/oom_score_adj", std::to_string(*spec.process.oom_score_adj)),
        "set oom_score_adj");
  return finalize_process(spec.process, c.seccomp);
}

}  // namespace

void run_init(const InitConfig& c) {
  // Not dumpable until execve: a process of the container cannot open /proc/<init>/exe (the
  // runtime's binary) or ptrace us meanwhile (CVE-2019-5736 class).
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  pid_t host_pid = 0;
  auto exe = init_steps(c, &host_pid);
  if (!exe) {
    (void)send_sync(c.sync_fd, SyncMsg::kError, &exe.error());
    ::_exit(1);
  }
  // Everything the caller had open must not reach the container process (CVE-2024-21626 class:
  // no host fd, directory or otherwise, survives execve).
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
  if (auto st = run_hooks(c.spec->hooks.start_container,
                          hook_state(c, host_pid, oci::Status::kCreated), "startContainer");
      !st) {
    dprintf(2, "berth-runtime: %s\n", st.error().message.c_str());
    ::_exit(127);
  }
  exec_process(c.spec->process, *exe, c.seccomp);
}

}  // namespace berth::runtime
