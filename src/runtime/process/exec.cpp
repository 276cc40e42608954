// exec(): one more process in a running container.  The parent enters init's pid namespace for
// its children only, clones, moves the child into the container's cgroup and lets it go; the
// child joins the other namespaces through init's pidfd, sets itself up and execs.  The sync
// socket is close-on-exec: EOF without a message means the exec happened.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "base/file.h"
#include "base/scope_exit.h"
#include "base/unique_fd.h"
#include "oci/spec_json.h"
#include "runtime/internal/process.h"
#include "runtime/internal/security.h"
#include "runtime/internal/state_store.h"
#include "runtime/runtime.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace berth::runtime {

namespace {

// The namespaces init does not share with us (compared by inode): those the child joins.
int namespaces_to_join(pid_t pid) {
  static const std::pair<const char*, int> kTypes[] = {
      {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},   {"pid", CLONE_NEWPID},
      {"net", CLONE_NEWNET},       {"ipc", CLONE_NEWIPC},  {"uts", CLONE_NEWUTS},
      {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};
  int flags = 0;
  for (auto& [name, flag] : kTypes) {
    struct stat theirs {
    }, ours{};
    std::string p = "/proc/" + std::to_string(pid) + "/ns/" + name;
    if (::stat(p.c_str(), &theirs) != 0) continue;
    if (::stat((std::string("/proc/self/ns/") + name).c_str(), &ours) != 0) continue;
    if (theirs.st_ino != ours.st_ino || theirs.st_dev != ours.st_dev) flags |= flag;
  }
  return flags;
}

struct ExecChild {
  const ExecOptions* o;
  int sync_fd;
  int pidfd;
  int join;  // CLONE_NEW* other than pid/time (entered by the parent)
  SeccompFilter* seccomp;
};

Result<std::string> child_steps(const ExecChild& c) {
  BERTH_TRY_ASSIGN(SyncMsg go, recv_sync(c.sync_fd));
  if (go.type != SyncMsg::kGo) return make_error(Code::kInternal, "unexpected sync message");
  if (c.join && ::setns(c.pidfd, c.join) != 0) return sys_error("join the container's namespaces");
  ::close(c.pidfd);
  const oci::Process& p = c.o->process;
  if (p.terminal) {
    if (::setsid() < 0) return sys_error("setsid");
    BERTH_TRY(setup_console(c.o->console_socket, p));
  } else {
    int fds[3] = {c.o->stdin_fd, c.o->stdout_fd, c.o->stderr_fd};
    for (int i = 0; i < 3; ++i) {
      if (fds[i] < 0) continue;
      if (fds[i] == i)
        ::fcntl(i, F_SETFD, 0);
      else if (::dup2(fds[i], i) < 0)
        return sys_error("dup2 stdio");
    }
  }
  BERTH_TRY(apply_rlimits(p));
  if (p.oom_score_adj)
    BERTH_TRY_CTX(write_file("/proc/self/oom_score_adj", std::to_string(*p.oom_score_adj)),
                  "set oom_score_adj");
  return finalize_process(p, c.seccomp);
}

[[noreturn]] void run_exec_child(const ExecChild& c) {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);  // see run_init
  auto exe = child_steps(c);
  if (!exe) {
    (void)send_sync(c.sync_fd, SyncMsg::kError, &exe.error());
    ::_exit(1);
  }
  ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  exec_process(c.o->process, *exe, c.seccomp);
}

}  // namespace

Result<pid_t> exec(const ExecOptions& o) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(o.root, o.id));
  BERTH_TRY_ASSIGN(oci::State st, state(o.root, o.id));
  if (st.status != oci::Status::kRunning && st.status != oci::Status::kCreated)
    return make_error(Code::kConflict, std::string("cannot exec in a container that is ") +
                                           oci::status_name(st.status));
  if (o.process.terminal && o.console_socket < 0)
    return make_error(Code::kInvalidArgument, "process.terminal needs a console socket");
  if (o.process.args.empty()) return make_error(Code::kInvalidArgument, "process.args is empty");
  oci::Process process = o.process;
  for (auto& w : drop_unsupported_labels(&process))
    fprintf(stderr, "berth-runtime: warning: %s\n", w.c_str());
  ExecOptions opts = o;
  opts.process = process;
  // The container's seccomp profile applies to every process in it.
  std::unique_ptr<SeccompFilter> seccomp;
  if (auto spec = oci::load_spec(r.bundle + "/config.json");
      spec && spec->linux_ && spec->linux_->seccomp) {
    auto built = SeccompFilter::build(*spec->linux_->seccomp);
    if (!built) return std::move(built).error().context("linux.seccomp");
    seccomp = std::move(*built);
  }

  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, r.pid, 0)));
  if (!pidfd) return sys_error("pidfd_open container init");
  if (!init_alive(r)) return make_error(Code::kConflict, "container " + o.id + " is not running");
  int ns = namespaces_to_join(r.pid);
  int for_children = ns & (CLONE_NEWPID | CLONE_NEWTIME);
  BERTH_TRY_ASSIGN(auto cgroup, open_cgroup(o.cgroup_root, r.cgroups_path));

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    return sys_error("socketpair");
  UniqueFd parent_sock(sv[0]), child_sock(sv[1]);
  ExecChild c{&opts, child_sock.get(), pidfd.get(), ns & ~(CLONE_NEWPID | CLONE_NEWTIME),
              seccomp.get()};

  // pid and time namespaces apply to children only: enter them around clone, then come back.
  UniqueFd own_pid, own_time;
  if (for_children) {
    own_pid = UniqueFd(::open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC));
    own_time = UniqueFd(::open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC));
    if (::setns(pidfd.get(), for_children) != 0)
      return sys_error("join the container's pid namespace");
  }
  pid_t pid = static_cast<pid_t>(::syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  if (pid == 0) {
    parent_sock.reset();
    run_exec_child(c);
  }
  int clone_errno = errno;
  if (for_children & CLONE_NEWPID) (void)::setns(own_pid.get(), CLONE_NEWPID);
  if ((for_children & CLONE_NEWTIME) && own_time) (void)::setns(own_time.get(), CLONE_NEWTIME);
  if (pid < 0) return sys_error("clone exec process", clone_errno);
  child_sock.reset();
  ScopeExit undo_child([&] {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  });
  BERTH_TRY_CTX(cgroup->add(pid), "add exec process to the container's cgroup");
  BERTH_TRY(send_sync(parent_sock.get(), SyncMsg::kGo));
  auto reply = recv_sync(parent_sock.get());
  if (reply) {
    if (reply->type == SyncMsg::kError)
      return Error{static_cast<Code>(reply->code), reply->sys_errno, reply->message};
    return make_error(Code::kInternal, "unexpected sync message");
  }
  if (reply.error().code != Code::kUnavailable) return std::move(reply).error();
  // EOF: the sync socket closed on exec (or the child died, which waitpid will show).
  // No fsync: a pid means nothing after a crash, and exec latency matters.
  if (!o.pid_file.empty())
    BERTH_TRY(write_file_atomic(o.pid_file, std::to_string(pid), 0644, false));
  undo_child.dismiss();
  return pid;
}

}  // namespace berth::runtime
