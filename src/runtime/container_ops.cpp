// start, state, kill, delete on a created container.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "base/file.h"
#include "base/unique_fd.h"
#include "oci/spec_json.h"
#include "runtime/cgroups/cgroup.h"
#include "runtime/internal/security.h"
#include "runtime/internal/state_store.h"
#include "runtime/runtime.h"

namespace berth::runtime {

namespace {
oci::Status status_of(const std::string& root, const ContainerRecord& r) {
  if (!init_alive(r)) return oci::Status::kStopped;
  return path_exists(fifo_path(root, r.id)) ? oci::Status::kCreated : oci::Status::kRunning;
}

oci::State state_of(const ContainerRecord& r, oci::Status status) {
  oci::State s;
  s.id = r.id;
  s.status = status;
  s.pid = status == oci::Status::kStopped ? 0 : r.pid;
  s.bundle = r.bundle;
  s.annotations = r.annotations;
  return s;
}

// The hooks of the bundle's config.json; none when it is gone (a bundle removed before delete).
oci::Hooks hooks_of(const ContainerRecord& r) {
  auto spec = oci::load_spec(r.bundle + "/config.json");
  return spec ? spec->hooks : oci::Hooks{};
}
}  // namespace

Result<oci::State> state(const std::string& root, const std::string& id,
                         const std::string& cgroup_root) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(root, id));
  oci::State s;
  s.id = r.id;
  s.status = status_of(root, r);
  if (s.status == oci::Status::kRunning) {
    auto cg = open_cgroup(cgroup_root, r.cgroups_path);
    if (cg && (*cg)->frozen()) s.status = oci::Status::kPaused;
  }
  s.pid = s.status == oci::Status::kStopped ? 0 : r.pid;
  s.bundle = r.bundle;
  s.annotations = r.annotations;
  return s;
}

Status start(const std::string& root, const std::string& id) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(root, id));
  oci::Status st = status_of(root, r);
  if (st != oci::Status::kCreated)
    return make_error(Code::kConflict,
                      std::string("cannot start a container that is ") + oci::status_name(st));
  std::string fifo = fifo_path(root, id);
  UniqueFd fd(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return sys_error("open " + fifo);
  // Init opens the fifo for writing once we have it open; wait for its byte, but give up if
  // init died meanwhile (a never-written fifo does not report POLLHUP).
  for (;;) {
    struct pollfd p {
      fd.get(), POLLIN, 0
    };
    int n = ::poll(&p, 1, 100);
    if (n < 0 && errno != EINTR) return sys_error("poll " + fifo);
    if (n > 0) {
      char c;
      ssize_t got = ::read(fd.get(), &c, 1);
      if (got == 1) break;
      if (got < 0 && errno == EAGAIN) continue;
      return make_error(Code::kInternal, "container init exited before start");
    }
    if (!init_alive(r)) return make_error(Code::kInternal, "container init exited before start");
  }
  ::unlink(fifo.c_str());
  oci::Hooks hooks = hooks_of(r);
  // A failing poststart hook is reported; the container keeps running (runtime-spec).
  return run_hooks(hooks.poststart, state_of(r, oci::Status::kRunning), "poststart");
}

Status pause(const std::string& root, const std::string& id, const std::string& cgroup_root) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(root, id));
  oci::Status st = status_of(root, r);
  if (st != oci::Status::kRunning && st != oci::Status::kCreated)
    return make_error(Code::kConflict, "container " + id + " is not running");
  BERTH_TRY_ASSIGN(auto cg, open_cgroup(cgroup_root, r.cgroups_path));
  return cg->freeze(true);
}

Status resume(const std::string& root, const std::string& id, const std::string& cgroup_root) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(root, id));
  BERTH_TRY_ASSIGN(auto cg, open_cgroup(cgroup_root, r.cgroups_path));
  if (!cg->frozen()) return make_error(Code::kConflict, "container " + id + " is not paused");
  return cg->freeze(false);
}

Result<std::vector<pid_t>> processes(const std::string& root, const std::string& id,
                                     const std::string& cgroup_root) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(root, id));
  BERTH_TRY_ASSIGN(auto cg, open_cgroup(cgroup_root, r.cgroups_path));
  return cg->pids();
}

Result<CgroupStats> stats(const std::string& root, const std::string& id,
                          const std::string& cgroup_root) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(root, id));
  BERTH_TRY_ASSIGN(auto cg, open_cgroup(cgroup_root, r.cgroups_path));
  return cg->stats();
}

Status kill(const std::string& root, const std::string& id, int sig, bool all,
            const std::string& cgroup_root) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(root, id));
  if (all) {
    BERTH_TRY_ASSIGN(auto cg, open_cgroup(cgroup_root, r.cgroups_path));
    BERTH_TRY_ASSIGN(auto pids, cg->pids());
    for (pid_t p : pids) ::kill(p, sig);
    return ok_status();
  }
  if (!init_alive(r)) return make_error(Code::kConflict, "container " + id + " is not running");
  if (::kill(r.pid, sig) != 0) return sys_error("kill container " + id);
  return ok_status();
}

bool oom_killed(const std::string& root, const std::string& id, const std::string& cgroup_root) {
  auto r = load_record(root, id);
  if (!r) return false;
  auto cg = open_cgroup(cgroup_root, r->cgroups_path);
  return cg && (*cg)->oom_killed();
}

Status remove(const std::string& root, const std::string& id, bool force,
              const std::string& cgroup_root) {
  BERTH_TRY_ASSIGN(ContainerRecord r, load_record(root, id));
  oci::Status st = status_of(root, r);
  if (st == oci::Status::kRunning && !force)
    return make_error(Code::kConflict, "cannot delete container " + id + " that is not stopped");
  auto cg = open_cgroup(cgroup_root, r.cgroups_path);
  if (st != oci::Status::kStopped) {
    // A created container (blocked on the fifo) is deleted like runc does: killed.
    ::kill(r.pid, SIGKILL);
  }
  if (cg) {
    // Everything else left in the cgroup, when init is gone (a pid namespace kills the rest).
    // A frozen cgroup holds its SIGKILLed tasks until thawed.
    if ((*cg)->frozen()) (void)(*cg)->freeze(false);
    if (auto pids = (*cg)->pids(); pids && !pids->empty())
      for (pid_t p : *pids) ::kill(p, SIGKILL);
    BERTH_TRY((*cg)->destroy());
  }
  oci::Hooks hooks = hooks_of(r);
  BERTH_TRY(remove_all(container_dir(root, id)));
  // poststop failures are warnings: the container is gone either way.
  if (auto st = run_hooks(hooks.poststop, state_of(r, oci::Status::kStopped), "poststop"); !st)
    fprintf(stderr, "berth-runtime: warning: %s\n", st.error().message.c_str());
  return ok_status();
}

int parse_signal(const std::string& text) {
  if (text.empty()) return 0;
  if (isdigit(static_cast<unsigned char>(text[0]))) {
    int n = atoi(text.c_str());
    return n > 0 && n < NSIG ? n : 0;
  }
  std::string name = text.rfind("SIG", 0) == 0 ? text.substr(3) : text;
  for (int s = 1; s < NSIG; ++s) {
    const char* abbrev = sigabbrev_np(s);
    if (abbrev && name == abbrev) return s;
  }
  return 0;
}

}  // namespace berth::runtime
