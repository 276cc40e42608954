// Starting containers, watching them exit, and picking them back up after a daemon restart.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "base/file.h"
#include "base/log.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "base/time.h"
#include "engine/container_entry.h"
#include "engine/engine.h"
#include "engine/log_attrs.h"
#include "engine/log_config.h"
#include "engine/rootfs_mount.h"
#include "engine/spec_builder.h"
#include "network/controller.h"

namespace berth::engine {

Status Engine::start_container(const std::string& ref) {
  std::unique_lock lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  return start_locked(lock, e);
}

Status Engine::start_locked(std::unique_lock<std::mutex>&, const std::shared_ptr<Entry>& e) {
  Container& c = e->c;
  if (c.running()) return make_error(Code::kNotModified, "container already started");
  if (c.state.status == RunState::kRemoving)
    return make_error(Code::kConflict, "container is marked for removal and cannot be started");
  const std::string dir = container_dir(c.id);
  BERTH_TRY_ASSIGN(image::Image image, images_->get(c.image_id));
  BERTH_TRY_ASSIGN(auto lowers, images_->layer_dirs(image));
  RootfsLayout layout{dir + "/diff", dir + "/work", rootfs_path(c.id)};
  BERTH_TRY(prepare_rootfs_dirs(layout));
  BERTH_TRY(mount_rootfs(layout, lowers));
  bool started = false;
  ScopeExit unmount_on_failure([&] {
    if (!started) (void)unmount_rootfs(layout.target);
  });
  BERTH_TRY_ASSIGN(Json spec,
                   build_spec(c, {layout.target, dir, "/" + options_.cgroup_parent + "/" + c.id,
                                  options_.init_path}));
  BERTH_TRY(setup_network(c, spec));
  ScopeExit network_on_failure([&] {
    if (!started) teardown_network(c);
  });
  BERTH_TRY(mount_volumes(c, layout.target, spec));
  ScopeExit volumes_on_failure([&] {
    if (!started) release_volumes(c);
  });
  BERTH_TRY(write_file_atomic(dir + "/config.json", spec.dump(2), 0644, false));

  shim::ShimLaunch launch;
  launch.shim_binary = options_.shim_binary;
  launch.id = c.id;
  launch.bundle = dir;
  launch.state_dir = shim_dir(c.id);
  launch.runtime_root = options_.exec_root + "/runtime";
  LogFile log = log_file(c.host_config, dir, c.id);
  if (log.driver == "local") BERTH_TRY(make_dirs(dir + "/local-logs", 0750));
  launch.log_path = log.path;
  launch.log_driver = log.driver;
  launch.log_max_size = log.max_size;
  launch.log_max_files = log.max_files;
  auto attrs = log_attributes(c);
  if (!attrs) return std::move(attrs).error().context("failed to initialize logging driver");
  launch.log_attrs = std::move(*attrs);
  launch.tty = c.tty();
  launch.open_stdin = c.config.open_stdin;
  launch.stdin_once = c.config.stdin_once;
  (void)remove_all(launch.state_dir);
  auto shim_pid = shim::launch(launch);
  if (!shim_pid) {
    c.state.error = shim_pid.error().message;
    (void)persist(c);
    return std::move(shim_pid).error().context("failed to create task for container");
  }
  shim::ShimClient shim(launch.state_dir);
  for (auto& pending : e->pending_attaches) {
    pending->result = shim.attach(pending->in, pending->out, pending->err);
    pending->done = true;
  }
  e->pending_attaches.clear();
  cv_.notify_all();
  Status st = shim.start();
  if (!st) {
    (void)shim.kill(SIGKILL);
    c.state.error = st.error().message;
    (void)persist(c);
    return std::move(st).error().context("failed to start container");
  }
  started = true;
  auto pid = shim.pid();
  c.state.status = RunState::kRunning;
  c.state.pid = pid ? *pid : 0;
  c.state.exit_code = 0;
  c.state.error.clear();
  c.state.oom_killed = false;
  c.state.started_at = now_nanos();
  c.state.finished_at = 0;
  c.manually_stopped = false;
  BERTH_TRY(persist(c));
  publish(c, "start");
  e->monitored = true;
  std::thread([this, e] { monitor(e); }).detach();
  start_health_monitor(e);
  return ok_status();
}

void Engine::monitor(std::shared_ptr<Entry> e) {
  std::string dir = shim_dir(e->c.id);
  shim::ShimClient shim(dir);
  auto status = shim.wait();
  if (!status) {
    // The shim went away without answering: its exit file, if it wrote one, has the answer.
    status = shim::read_exit_file(dir);
  }
  if (status) {
    on_exit(e, status->exit_code, status->finished_at, status->oom_killed);
  } else {
    log_warn("container " + e->c.id + ": shim gone without an exit status");
    on_exit(e, 255, now_nanos(), false);
  }
  // The shim exits right after it answered; berthd's reaper (run_daemon) reaps it.  No
  // waitpid(shim_pid) here: once reaped, that pid may be a new child somebody else waits for.
}

void Engine::on_exit(const std::shared_ptr<Entry>& e, int exit_code, int64_t finished_at,
                     bool oom) {
  std::lock_guard lock(mu_);
  if (e->removed) return;
  Container& c = e->c;
  c.state.status = RunState::kExited;
  c.state.pid = 0;
  c.state.exit_code = exit_code;
  c.state.finished_at = finished_at;
  c.state.oom_killed = oom;
  e->monitored = false;
  Status st = persist(c);
  if (!st) log_error("record exit of " + c.id + ": " + st.error().message);
  Status um = unmount_rootfs(rootfs_path(c.id));
  if (!um) log_warn(um.error().message);
  teardown_network(c);
  release_volumes(c);
  (void)persist(c);
  ++e->exit_generation;
  cv_.notify_all();
  publish(c, "die", {{"exitCode", std::to_string(exit_code)}});
  if (!c.auto_remove()) maybe_restart_locked(e, finished_at - c.state.started_at);
  if (c.auto_remove()) {
    Status rm = remove_locked(e);
    if (!rm) log_error("auto-remove " + c.id + ": " + rm.error().message);
  }
}

// Containers that were running when the daemon stopped: a live shim means still running (watch
// it again); otherwise its exit file says how it ended.
void Engine::restore() {
  std::vector<std::shared_ptr<Entry>> running;
  for (auto& [id, e] : entries_)
    if (e->c.running() || e->c.state.status == RunState::kRemoving) running.push_back(e);
  for (auto& e : running) {
    if (e->c.state.status == RunState::kRemoving) {
      std::lock_guard lock(mu_);
      (void)remove_locked(e);
      continue;
    }
    shim::ShimClient shim(shim_dir(e->c.id));
    if (auto pid = shim.pid(); pid) {
      e->c.state.pid = *pid;
      e->monitored = true;
      std::thread([this, e] { monitor(e); }).detach();
      start_health_monitor(e);
      continue;
    }
    auto status = shim::read_exit_file(shim_dir(e->c.id));
    if (status) {
      on_exit(e, status->exit_code, status->finished_at, status->oom_killed);
    } else {
      log_warn("container " + e->c.id + " lost while the daemon was down");
      on_exit(e, 255, now_nanos(), false);
    }
  }
}

}  // namespace berth::engine
