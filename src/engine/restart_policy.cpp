// Restart policies.
#include <chrono>
#include <thread>

#include "base/log.h"
#include "base/time.h"
#include "engine/container_entry.h"
#include "engine/engine.h"

namespace berth::engine {

namespace {
// Docker's restart manager: 100 ms, doubling, at most a minute; reset after 10 s of running.
constexpr int kInitialDelayMs = 100;
constexpr int kMaxDelayMs = 60000;
constexpr int64_t kResetAfterNanos = 10LL * 1000000000LL;
}  // namespace

void Engine::maybe_restart_locked(const std::shared_ptr<Entry>& e, int64_t ran_nanos) {
  Container& c = e->c;
  using Mode = model::RestartPolicyMode;
  const model::RestartPolicy& policy = c.host_config.restart_policy;
  Mode name = policy.name;
  int64_t max_retries = policy.maximum_retry_count;
  bool restart = false;
  if (name == Mode::kAlways || name == Mode::kUnlessStopped) restart = !c.manually_stopped;
  if (name == Mode::kOnFailure)
    restart = !c.manually_stopped && c.state.exit_code != 0 &&
              (max_retries == 0 || c.restart_count < max_retries);
  if (!restart || e->removed) return;
  if (ran_nanos >= kResetAfterNanos || e->restart_delay_ms == 0)
    e->restart_delay_ms = kInitialDelayMs;
  else
    e->restart_delay_ms = std::min(e->restart_delay_ms * 2, kMaxDelayMs);
  int delay = e->restart_delay_ms;
  c.state.status = RunState::kRestarting;
  uint64_t token = ++e->restart_token;
  (void)persist(c);
  std::thread([this, e, delay, token] {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    std::unique_lock lock(mu_);
    if (e->removed || e->restart_token != token || e->c.state.status != RunState::kRestarting)
      return;
    ++e->c.restart_count;
    Status st = start_locked(lock, e);
    if (!st) {
      log_warn("restart " + e->c.id + ": " + st.error().message);
      e->c.state.status = RunState::kExited;
      (void)persist(e->c);
    }
  }).detach();
}

}  // namespace berth::engine
