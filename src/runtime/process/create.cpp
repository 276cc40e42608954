// create(): the parent's half.  Reads the bundle, prepares state dir, fifo and cgroup, clones
// init with the spec's namespaces, moves it into the cgroup, lets it go, and waits for "ready".
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "base/file.h"
#include "base/scope_exit.h"
#include "base/time.h"
#include "base/unique_fd.h"
#include "oci/spec_json.h"
#include "runtime/cgroups/cgroup.h"
#include "runtime/internal/process.h"
#include "runtime/internal/rootfs.h"
#include "runtime/internal/security.h"
#include "runtime/internal/state_store.h"
#include "runtime/runtime.h"

namespace berth::runtime {

namespace {

int namespace_flag(const std::string& type) {
  if (type == "pid") return CLONE_NEWPID;
  if (type == "network") return CLONE_NEWNET;
  if (type == "mount") return CLONE_NEWNS;
  if (type == "ipc") return CLONE_NEWIPC;
  if (type == "uts") return CLONE_NEWUTS;
  if (type == "user") return CLONE_NEWUSER;
  if (type == "cgroup") return CLONE_NEWCGROUP;
  if (type == "time") return CLONE_NEWTIME;
  return 0;
}

Status write_id_map(pid_t pid, const char* file, const std::vector<oci::IdMapping>& maps) {
  std::string text;
  for (auto& m : maps)
    text += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
            std::to_string(m.size) + "\n";
  return write_file("/proc/" + std::to_string(pid) + "/" + file, text);
}

// Container root (uid 0 inside) must own the rootfs: a chown of the tree shifted into the mapped
// range, once (a root dir already owned by the mapped root means done).  An idmapped mount would
// leave the files alone, but moving a detached idmapped tree into the new user namespace's mount
// namespace fails with EPERM on this kernel, and doing it from the parent needs init to make its
// mounts private first: left for later (the sync socket already passes the mount fd).
Status userns_rootfs(pid_t pid, const oci::Linux& l, const std::string& rootfs, UniqueFd* out) {
  auto host_id = [](const std::vector<oci::IdMapping>& maps, uint32_t id) -> int64_t {
    for (auto& m : maps)
      if (id >= m.container_id && id - m.container_id < m.size)
        return m.host_id + (id - m.container_id);
    return -1;
  };
  int64_t root_uid = host_id(l.uid_mappings, 0);
  struct stat st {};
  if (::stat(rootfs.c_str(), &st) != 0) return sys_error("stat " + rootfs);
  if (root_uid < 0 || st.st_uid == root_uid) return ok_status();
  (void)pid;
  out->reset();
  // Shift ownership on disk (what dockerd's userns-remap does to its layers).
  std::vector<std::string> stack = {rootfs};
  while (!stack.empty()) {
    std::string path = stack.back();
    stack.pop_back();
    struct stat s {};
    if (::lstat(path.c_str(), &s) != 0) continue;
    int64_t uid = host_id(l.uid_mappings, s.st_uid), gid = host_id(l.gid_mappings, s.st_gid);
    if (uid >= 0 && gid >= 0 && ::lchown(path.c_str(), uid, gid) != 0)
      return sys_error("chown " + path + " into the user namespace's range");
    if (S_ISLNK(s.st_mode) || !S_ISDIR(s.st_mode)) {
      if (!S_ISLNK(s.st_mode)) ::chmod(path.c_str(), s.st_mode & 07777);  // chown clears suid
      continue;
    }
    auto names = list_dir(path);
    if (names)
      for (auto& n : *names) stack.push_back(path + "/" + n);
  }
  return ok_status();
}

Result<std::string> absolute(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf)) return sys_error("resolve " + path);
  return std::string(buf);
}

}  // namespace

Result<pid_t> create(const CreateOptions& o) {
  BERTH_TRY(validate_id(o.id));
  BERTH_TRY_ASSIGN(std::string bundle, absolute(o.bundle));
  BERTH_TRY_ASSIGN(oci::Spec spec, oci::load_spec(bundle + "/config.json"));
  if (!spec.root || spec.root->path.empty())
    return make_error(Code::kInvalidArgument, "config.json: root.path is required");
  std::string root_path =
      spec.root->path[0] == '/' ? spec.root->path : bundle + "/" + spec.root->path;
  BERTH_TRY_ASSIGN(std::string rootfs, absolute(root_path));
  if (spec.process.terminal && o.console_socket < 0)
    return make_error(Code::kInvalidArgument, "process.terminal needs a console socket");
  if (!oci::find_namespace(spec, "mount"))
    return make_error(Code::kNotImplemented,
                      "containers without a mount namespace are not supported");
  for (auto& w : drop_unsupported_labels(&spec.process))
    fprintf(stderr, "berth-runtime: warning: %s\n", w.c_str());
  std::unique_ptr<SeccompFilter> seccomp;
  if (spec.linux_->seccomp) {
    auto built = SeccompFilter::build(*spec.linux_->seccomp);
    if (!built) return std::move(built).error().context("linux.seccomp");
    seccomp = std::move(*built);
  }

  BERTH_TRY(make_dirs(o.root, 0700));
  std::string dir = container_dir(o.root, o.id);
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno == EEXIST)
      return make_error(Code::kAlreadyExists, "container " + o.id + " already exists");
    return sys_error("create state dir " + dir);
  }
  ScopeExit undo_dir([&] { (void)remove_all(dir); });
  std::string fifo = fifo_path(o.root, o.id);
  // Writable by anyone (as runc makes it): init opens it after becoming process.user, maybe an
  // unprivileged or user-namespaced uid; the 0700 state dir keeps others from reaching it.
  if (::mkfifo(fifo.c_str(), 0622) != 0 || ::chmod(fifo.c_str(), 0622) != 0)
    return sys_error("mkfifo " + fifo);
  UniqueFd fifo_fd(::open(fifo.c_str(), O_PATH | O_CLOEXEC));
  if (!fifo_fd) return sys_error("open " + fifo);

  std::string cgroups_path = spec.linux_ && !spec.linux_->cgroups_path.empty()
                                 ? spec.linux_->cgroups_path
                                 : default_cgroups_path(o.id);
  BERTH_TRY_ASSIGN(auto cgroup, open_cgroup(o.cgroup_root, cgroups_path));
  BERTH_TRY(cgroup->create());
  ScopeExit undo_cgroup([&] { (void)cgroup->destroy(); });
  if (spec.linux_ && spec.linux_->resources) BERTH_TRY(cgroup->apply(*spec.linux_->resources));

  InitConfig cfg;
  cfg.spec = &spec;
  cfg.rootfs = rootfs;
  cfg.fifo_fd = fifo_fd.get();
  cfg.stdio[0] = o.stdin_fd;
  cfg.stdio[1] = o.stdout_fd;
  cfg.stdio[2] = o.stderr_fd;
  cfg.console_socket = o.console_socket;
  cfg.seccomp = seccomp.get();
  cfg.hooks_sync = !spec.hooks.prestart.empty() || !spec.hooks.create_runtime.empty();
  cfg.id = o.id;
  cfg.bundle = bundle;
  std::vector<UniqueFd> ns_fds;
  UniqueFd join_pid;
  int flags = 0;
  for (auto& ns : spec.linux_->namespaces) {
    int flag = namespace_flag(ns.type);
    if (!flag) return make_error(Code::kInvalidArgument, "unknown namespace type " + ns.type);
    if (!ns.path.empty()) {
      UniqueFd fd(::open(ns.path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd) return sys_error("open " + ns.type + " namespace " + ns.path);
      if (flag == CLONE_NEWPID) {
        join_pid = std::move(fd);
      } else {
        cfg.join_ns.emplace_back(fd.get(), flag);
        ns_fds.push_back(std::move(fd));
      }
    } else if (flag == CLONE_NEWCGROUP) {
      cfg.new_cgroupns = true;  // after the move into the cgroup, so that becomes its root
    } else {
      flags |= flag;
    }
  }
  cfg.user_ns = flags & CLONE_NEWUSER;

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    return sys_error("socketpair");
  UniqueFd parent_sock(sv[0]), child_sock(sv[1]);
  cfg.sync_fd = child_sock.get();

  // A pid namespace is joined for children only: enter it around clone, then come back.
  UniqueFd own_pid;
  if (join_pid) {
    own_pid = UniqueFd(::open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC));
    if (!own_pid || ::setns(join_pid.get(), CLONE_NEWPID) != 0)
      return sys_error("join pid namespace");
  }
  // Fork-like clone (no new stack): the child continues here with a copy of our memory.
  pid_t pid =
      static_cast<pid_t>(::syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  if (pid == 0) {
    parent_sock.reset();
    run_init(cfg);
  }
  int clone_errno = errno;
  if (own_pid) (void)::setns(own_pid.get(), CLONE_NEWPID);
  if (pid < 0) return sys_error("clone container init", clone_errno);
  child_sock.reset();
  ScopeExit undo_child([&] {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  });

  if (cfg.user_ns) {
    BERTH_TRY(write_id_map(pid, "uid_map", spec.linux_->uid_mappings));
    BERTH_TRY(write_id_map(pid, "gid_map", spec.linux_->gid_mappings));
  }
  UniqueFd rootfs_clone;
  if (cfg.user_ns) BERTH_TRY(userns_rootfs(pid, *spec.linux_, rootfs, &rootfs_clone));
  BERTH_TRY_CTX(cgroup->add(pid), "add init to cgroup");
  BERTH_TRY(send_sync(parent_sock.get(), SyncMsg::kGo, nullptr, pid, rootfs_clone.get()));
  rootfs_clone.reset();
  BERTH_TRY_ASSIGN(SyncMsg reply, recv_sync(parent_sock.get()));
  if (reply.type == SyncMsg::kMounted) {
    // Mounts are done, pivot_root is not: the runtime-namespace hooks run now.
    oci::State hs;
    hs.id = o.id;
    hs.pid = pid;
    hs.status = oci::Status::kCreating;
    hs.bundle = bundle;
    hs.annotations = spec.annotations;
    BERTH_TRY(run_hooks(spec.hooks.prestart, hs, "prestart"));
    BERTH_TRY(run_hooks(spec.hooks.create_runtime, hs, "createRuntime"));
    BERTH_TRY(send_sync(parent_sock.get(), SyncMsg::kGo, nullptr, pid));
    BERTH_TRY_ASSIGN(reply, recv_sync(parent_sock.get()));
  }
  if (reply.type == SyncMsg::kError)
    return Error{static_cast<Code>(reply.code), reply.sys_errno, reply.message};
  if (reply.type != SyncMsg::kReady) return make_error(Code::kInternal, "unexpected sync message");

  ContainerRecord rec;
  rec.id = o.id;
  rec.pid = pid;
  rec.start_time = process_start_time(pid);
  rec.bundle = bundle;
  rec.rootfs = rootfs;
  rec.cgroups_path = cgroups_path;
  rec.created = now_nanos();
  rec.annotations = spec.annotations;
  BERTH_TRY(save_record(o.root, rec));
  if (!o.pid_file.empty()) BERTH_TRY(write_file_atomic(o.pid_file, std::to_string(pid)));
  undo_child.dismiss();
  undo_cgroup.dismiss();
  undo_dir.dismiss();
  return pid;
}

}  // namespace berth::runtime
