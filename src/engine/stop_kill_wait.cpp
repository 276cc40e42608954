// Signalling, stopping and waiting for containers.
#include <signal.h>

#include <chrono>

#include "engine/container_entry.h"
#include "engine/engine.h"

namespace berth::engine {

namespace {
Error not_running(const std::string& verb, const std::string& ref, const std::string& id) {
  return make_error(Code::kConflict, "cannot " + verb + " container: " + ref + ": container " + id +
                                         " is not running");
}
}  // namespace

Status Engine::wait_exit_locked(std::unique_lock<std::mutex>& lock, const std::shared_ptr<Entry>& e,
                                int timeout_secs) {
  uint64_t gen = e->exit_generation;
  bool exited = cv_.wait_for(lock, std::chrono::seconds(timeout_secs), [&] {
    return e->exit_generation != gen || !e->c.running() || e->removed;
  });
  if (!exited) return make_error(Code::kUnavailable, "timed out waiting for container " + e->c.id);
  return ok_status();
}

Status Engine::kill_container(const std::string& ref, const std::string& signal) {
  std::unique_lock lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  int signo = signal.empty() ? SIGKILL : parse_signal(signal);
  if (signo == 0) return make_error(Code::kInvalidArgument, "Invalid signal: " + signal);
  if (!e->c.running()) return not_running("kill", ref, e->c.id);
  std::string stop_signal = e->c.config.stop_signal;
  if (signo == SIGKILL || signo == (stop_signal.empty() ? SIGTERM : parse_signal(stop_signal))) {
    e->c.manually_stopped = true;  // Docker: a kill with the stop signal counts as a stop
    (void)persist(e->c);
  }
  shim::ShimClient shim(shim_dir(e->c.id));
  BERTH_TRY_CTX(shim.kill(signo), "cannot kill container: " + ref);
  publish(e->c, "kill", {{"signal", std::to_string(signo)}});
  // As dockerd's Kill: SIGKILL returns once the container is down, so a `start` right after it
  // starts a new process instead of racing the old one's exit.  (A frozen one dies on thaw.)
  if (signo == SIGKILL && e->c.state.status != RunState::kPaused)
    (void)wait_exit_locked(lock, e, 10);
  return ok_status();
}

Status Engine::stop_container(const std::string& ref, std::optional<int> timeout,
                              const std::string& signal) {
  std::unique_lock lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  if (e->c.state.status == RunState::kRestarting) {
    // Stopping a container between policy restarts cancels the restart.
    ++e->restart_token;
    e->c.manually_stopped = true;
    e->c.state.status = RunState::kExited;
    (void)persist(e->c);
    publish(e->c, "stop");
    return ok_status();
  }
  if (!e->c.running()) return make_error(Code::kNotModified, "container already stopped");
  e->c.manually_stopped = true;
  (void)persist(e->c);
  std::string sig_name = signal.empty() ? e->c.config.stop_signal : signal;
  int signo = sig_name.empty() ? SIGTERM : parse_signal(sig_name);
  if (signo == 0) return make_error(Code::kInvalidArgument, "Invalid signal: " + sig_name);
  int secs = timeout ? *timeout : static_cast<int>(e->c.config.stop_timeout.value_or(10));
  shim::ShimClient shim(shim_dir(e->c.id));
  (void)shim.kill(signo);
  publish(e->c, "kill", {{"signal", std::to_string(signo)}});
  bool exited = wait_exit_locked(lock, e, secs >= 0 ? secs : 24 * 3600).ok();
  if (!exited) {
    (void)shim.kill(SIGKILL);
    publish(e->c, "kill", {{"signal", std::to_string(SIGKILL)}});
    BERTH_TRY_CTX(wait_exit_locked(lock, e, 30), "cannot stop container: " + ref);
  }
  publish(e->c, "stop");
  return ok_status();
}

Status Engine::resize(const std::string& ref, int height, int width) {
  std::unique_lock lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  if (!e->c.running()) return not_running("resize", ref, e->c.id);
  shim::ShimClient shim(shim_dir(e->c.id));
  return shim.resize(height, width);
}

class Engine::WaiterImpl : public Waiter {
 public:
  WaiterImpl(Engine* engine, std::shared_ptr<Entry> e, WaitCondition condition)
      : engine_(engine), e_(std::move(e)), condition_(condition), gen_(e_->exit_generation) {}

  Result<WaitResult> wait(const std::function<bool()>& alive) override {
    std::unique_lock lock(engine_->mu_);
    while (true) {
      bool done = false;
      switch (condition_) {
        case WaitCondition::kNotRunning:
          done = !e_->c.running() || e_->removed;
          break;
        case WaitCondition::kNextExit:
          done = e_->exit_generation != gen_ || e_->removed;
          break;
        case WaitCondition::kRemoved:
          done = e_->removed;
          break;
      }
      if (done) {
        WaitResult r;
        r.status_code = e_->c.state.exit_code;
        r.error = e_->c.state.error;
        return r;
      }
      engine_->cv_.wait_for(lock, std::chrono::seconds(1));
      if (alive && !alive()) return make_error(Code::kCancelled, "client went away");
    }
  }

 private:
  Engine* engine_;
  std::shared_ptr<Entry> e_;
  WaitCondition condition_;
  uint64_t gen_;
};

Result<std::unique_ptr<Waiter>> Engine::register_wait(const std::string& ref,
                                                      WaitCondition condition) {
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  return std::unique_ptr<Waiter>(new WaiterImpl(this, e, condition));
}

}  // namespace berth::engine
