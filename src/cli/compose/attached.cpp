// `berth compose up` without -d: after the project is up, every attached container's logs are
// followed with Compose's "web-1  | " prefix (coloured on a terminal) until all have exited.
// --abort-on-container-exit stops the project when the first one exits (its code is the exit
// code; --exit-code-from picks a service's), and SIGINT/SIGTERM stop it gracefully ("Gracefully
// stopping..."), a second one kills.
//
// Threads: one per container reads its log stream and reports the exit; the main thread
// handles exits and signals, and one more thread stops the project so a second Ctrl-C is seen.
// SIGINT/SIGTERM are blocked in all but the main thread so reads are never interrupted.
#include "cli/compose/attached.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "base/file.h"
#include "base/strings.h"
#include "compose/container_spec.h"

namespace berth::cli {

namespace {

std::atomic<int> g_signals{0};  // set by the handler only: a signal handler's one way out

void on_signal(int) { g_signals.fetch_add(1); }

struct Exit {
  std::string service;
  std::string name;
  int64_t code = 0;
};

// Compose's names in the prefix: the container name without "<project>-".
std::string display_name(const std::string& project, const model::ContainerSummary& c) {
  std::string name = compose::summary_name(c);
  if (name.rfind(project + "-", 0) == 0) return name.substr(project.size() + 1);
  return name;
}

std::string colour(size_t i, const std::string& text) {
  static const char* kColours[] = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};
  return std::string("\033[") + kColours[i % 10] + "m" + text + "\033[0m";
}

}  // namespace

int attach_project(compose::EngineApi& api, const compose::Project& project,
                   const AttachOptions& o) {
  auto list = compose::project_containers(api, project.name);
  if (!list.ok()) {
    print_error(list.error().message);
    return 1;
  }
  std::vector<model::ContainerSummary> targets;
  size_t width = 0;
  for (const auto& c : *list) {
    auto svc = c.labels.find(compose::kLabelService);
    if (svc == c.labels.end() ||
        std::find(o.services.begin(), o.services.end(), svc->second) == o.services.end())
      continue;
    targets.push_back(c);
    width = std::max(width, display_name(project.name, c).size());
  }
  std::vector<std::string> names;
  for (const auto& c : targets) names.push_back(display_name(project.name, c));
  (void)write_all(1, "Attaching to " + join(names, ", ") + "\n");
  bool colours = ::isatty(1) == 1 && !o.no_color;

  std::mutex mu;  // guards exits, and orders output lines
  std::condition_variable cv;
  std::deque<Exit> exits;
  size_t finished = 0;

  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &block, &old);
  std::vector<std::thread> readers;
  for (size_t i = 0; i < targets.size(); ++i) {
    readers.emplace_back([&, i] {
      const auto& c = targets[i];
      compose::EngineApi own = api;
      std::string name = display_name(project.name, c);
      std::string prefix;
      if (!o.no_log_prefix) {
        prefix = name + std::string(width - name.size(), ' ') + "  | ";
        if (colours) prefix = colour(i, prefix);
      }
      PrefixWriter w(prefix, mu);
      stream_container_logs(own.client(), c.id, "?stdout=1&stderr=1&follow=1&tail=all", w);
      w.flush();
      Exit e{c.labels.at(compose::kLabelService), name, 0};
      auto code = own.wait_container(c.id);  // returns at once: the log stream ended
      if (code.ok()) e.code = *code;
      std::lock_guard lock(mu);
      exits.push_back(e);
      ++finished;
      cv.notify_all();
    });
  }
  struct sigaction sa = {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int = {};
  struct sigaction old_term = {};
  g_signals = 0;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);

  auto progress = plain_progress();
  std::thread stopper;
  std::atomic<bool> stopping{false};
  auto stop_all = [&](bool kill) {
    compose::EngineApi own = api;
    for (auto it = targets.rbegin(); it != targets.rend(); ++it) {
      std::string name = compose::summary_name(*it);
      progress("Container", name, kill ? "Killing" : "Stopping");
      Status st = kill ? own.kill_container(it->id) : own.stop_container(it->id, o.timeout);
      if (st.ok()) progress("Container", name, kill ? "Killed" : "Stopped");
    }
  };
  bool aborting = false;
  bool killed = false;
  bool interrupted = false;
  std::string code_from = o.exit_code_from;
  int exit_code = 0;
  std::unique_lock lock(mu);
  while (finished < targets.size()) {
    cv.wait_for(lock, std::chrono::milliseconds(100));
    while (!exits.empty()) {
      Exit e = exits.front();
      exits.pop_front();
      if (!aborting) {
        std::string line = e.name + " exited with code " + std::to_string(e.code) + "\n";
        (void)write_all(1, colours ? colour(0, line) : line);
      }
      if (o.abort_on_exit) {
        if (code_from.empty()) code_from = e.service;
        if (code_from == e.service && exit_code == 0) exit_code = static_cast<int>(e.code);
        if (!aborting) {
          aborting = true;
          (void)write_all(1, "Aborting on container exit...\n");
          stopper = std::thread([&] {
            stop_all(false);
            stopping = false;
          });
          stopping = true;
        }
      }
    }
    int signals = g_signals.load();
    if (signals > 0 && !interrupted) {
      interrupted = true;
      if (!aborting) {
        aborting = true;
        (void)write_all(2, "Gracefully stopping... (press Ctrl+C again to force)\n");
        stopping = true;
        stopper = std::thread([&] {
          stop_all(false);
          stopping = false;
        });
      }
    }
    if (signals > 1 && !killed && stopping) {
      killed = true;
      lock.unlock();
      stop_all(true);
      lock.lock();
    }
  }
  lock.unlock();
  for (auto& t : readers) t.join();
  if (stopper.joinable()) stopper.join();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  if (interrupted) return 130;
  return exit_code;
}

}  // namespace berth::cli
