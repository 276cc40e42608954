// HEALTHCHECK: a probe run in the container every interval; three failures in a row (Retries)
// make it unhealthy.  Unhealthy containers are not restarted by the engine (as Docker).
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "base/time.h"
#include "engine/container_entry.h"
#include "engine/engine.h"

namespace berth::engine {

namespace {
constexpr int64_t kSecond = 1000000000LL;
constexpr size_t kMaxOutput = 4096;  // Docker keeps this much of a probe's output
constexpr size_t kMaxLog = 5;        // and the last five probes

int64_t duration(int64_t v, int64_t fallback) { return v > 0 ? v : fallback; }
// Go's time.Duration text for whole and fractional seconds: "1s", "1.5s", "500ms".
std::string format_seconds(int64_t nanos) {
  if (nanos < kSecond) return std::to_string(nanos / 1000000) + "ms";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(nanos) / kSecond);
  return std::string(buf) + "s";
}
}  // namespace

// The probe itself is killed, as dockerd kills the exec'd process: SIGKILL to the pid the runtime
// wrote, so `berth-runtime exec` then exits with it.  Only while the runtime still runs, so it
// has not reaped the process and the pid cannot have been reused.  Before the pid file exists
// the runtime has not started the process yet; killing the runtime stops it from doing so.
void Engine::kill_probe(const std::string& exec_id) {
  auto rec = get_exec(exec_id);
  if (!rec || !rec->running) return;
  long long pid = 0;
  if (auto text = read_file(rec->pid_file); text && parse_int64(trim(*text), &pid) && pid > 0)
    ::kill(static_cast<pid_t>(pid), SIGKILL);
  else if (rec->pid > 0)
    ::kill(rec->pid, SIGKILL);
}

Result<std::pair<int, std::string>> Engine::run_probe(const std::string& id,
                                                      const std::vector<std::string>& argv,
                                                      int64_t timeout_nanos) {
  std::vector<std::string> cmd;
  if (argv.empty()) return make_error(Code::kInvalidArgument, "empty healthcheck");
  if (argv[0] == "CMD-SHELL")
    cmd = {"/bin/sh", "-c", argv.size() > 1 ? argv[1] : ""};
  else if (argv[0] == "CMD")
    cmd.assign(argv.begin() + 1, argv.end());
  else
    cmd = argv;
  model::ExecCreateRequest probe;
  probe.cmd = std::move(cmd);
  probe.attach_stdout = true;
  probe.attach_stderr = true;
  BERTH_TRY_ASSIGN(std::string exec_id, create_exec(id, probe));
  BERTH_TRY_ASSIGN(ExecSession s, start_exec(exec_id, false));
  s.stdin_fd.reset();
  std::string output;
  int64_t deadline = now_nanos() + timeout_nanos;
  int fds[2] = {s.stdout_fd.get(), s.stderr_fd.get()};
  bool timed_out = false;
  while (fds[0] >= 0 || fds[1] >= 0) {
    int64_t left_ms = (deadline - now_nanos()) / 1000000;
    if (left_ms <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    if (::poll(p, 2, static_cast<int>(left_ms)) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i], buf, sizeof buf);
      if (n <= 0)
        fds[i] = -1;
      else if (output.size() < kMaxOutput)
        output.append(buf, static_cast<size_t>(n));
    }
  }
  if (timed_out) kill_probe(exec_id);
  auto code = wait_exec(exec_id, nullptr);
  {
    std::lock_guard lock(mu_);
    execs_.erase(exec_id);  // probes are not listed in ExecIDs
  }
  if (timed_out)
    return std::make_pair(-1,
                          "Health check exceeded timeout (" + format_seconds(timeout_nanos) + ")");
  BERTH_TRY(code);
  if (output.size() > kMaxOutput) output.resize(kMaxOutput);
  return std::make_pair(*code, output);
}

void Engine::start_health_monitor(const std::shared_ptr<Entry>& e) {
  if (!e->c.config.healthcheck) return;
  const model::HealthConfig& hc = *e->c.config.healthcheck;
  if (hc.test.empty() || hc.test[0] == "NONE") return;
  std::vector<std::string> test(hc.test.begin(), hc.test.end());
  int64_t interval = duration(hc.interval, 30 * kSecond);
  int64_t timeout = duration(hc.timeout, 30 * kSecond);
  int64_t start_period = duration(hc.start_period, 0);
  int64_t start_interval = duration(hc.start_interval, 5 * kSecond);
  int retries = hc.retries > 0 ? static_cast<int>(hc.retries) : 3;
  model::Health& fresh = e->c.state.health.emplace();
  fresh.status = "starting";
  fresh.log.set_empty();
  uint64_t generation = e->exit_generation;
  std::string id = e->c.id;
  int64_t started = e->c.state.started_at;
  std::thread([this, e, test, interval, timeout, start_period, start_interval, retries, generation,
               id, started] {
    while (true) {
      bool in_start_period = now_nanos() - started < start_period;
      int64_t wait =
          in_start_period && start_period > 0 ? std::min(start_interval, interval) : interval;
      // Sleep in short steps so a stopped container ends its monitor promptly.
      for (int64_t slept = 0; slept < wait; slept += 100000000) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::lock_guard lock(mu_);
        if (e->removed || e->exit_generation != generation || !e->c.running()) return;
      }
      int64_t begin = now_nanos();
      auto probe = run_probe(id, test, timeout);
      int64_t end = now_nanos();
      std::lock_guard lock(mu_);
      if (e->removed || e->exit_generation != generation || !e->c.running()) return;
      int code = probe ? probe->first : -1;
      std::string output = probe ? probe->second : probe.error().message;
      if (!e->c.state.health) e->c.state.health.emplace().status = "starting";
      model::Health& health = *e->c.state.health;
      model::HealthcheckResult entry;
      entry.start = format_rfc3339_nano(begin);
      entry.end = format_rfc3339_nano(end);
      entry.exit_code = code;
      entry.output = output;
      health.log.push_back(std::move(entry));
      while (health.log.size() > kMaxLog) health.log.erase(health.log.begin());
      std::string before = health.status.empty() ? "starting" : health.status;
      if (code == 0) {
        health.failing_streak = 0;
        health.status = "healthy";
      } else {
        int64_t streak = health.failing_streak + 1;
        health.failing_streak = streak;
        // Failures during the start period do not count against the container.
        if (!(in_start_period && now_nanos() - started < start_period) && streak >= retries)
          health.status = "unhealthy";
        if (in_start_period && now_nanos() - started < start_period) health.failing_streak = 0;
      }
      (void)persist(e->c);
      std::string after = health.status;
      if (after != before) publish(e->c, "health_status: " + after);
    }
  }).detach();
}

}  // namespace berth::engine
