// The engine: containers' lifecycle on top of the image store, the metadata database and the
// shims.  Owns every container's record and in-memory state; one mutex guards them, and a
// condition variable wakes waiters on exits and removals.  Thread-safe: the API server calls it
// from one thread per connection.  Docker's user-facing error wording is produced here.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "base/unique_fd.h"
#include "engine/container.h"
#include "engine/events.h"
#include "engine/exec.h"
#include "image/image_store.h"
#include "runtime/cgroups/cgroup.h"
#include "store/db.h"

namespace berth::engine {

struct EngineOptions {
  std::string data_root = "/var/lib/berth";
  std::string exec_root = "/run/berth";
  std::string shim_binary;              // berth-shim; default: next to the daemon binary
  std::string cgroup_parent = "berth";  // containers' cgroups go below this
  std::string busybox_path = "/bin/busybox";
  std::string runtime_binary;  // berth-runtime; default: next to the daemon binary
  std::string init_path;       // --init's process (tini-static); found on the host when empty
};

struct CreateRequest {
  std::string name;  // "" = generate one
  Json config;       // Docker's container Config
  Json host_config;  // Docker's HostConfig
};

struct CreateResult {
  std::string id;
  std::vector<std::string> warnings;
};

enum class WaitCondition { kNotRunning, kNextExit, kRemoved };

struct WaitResult {
  int status_code = 0;
  std::string error;
};

// Returned by register_wait: the wait is registered when this exists, so a start that follows
// is seen.  `alive` is polled about once a second; the wait ends Cancelled when it says false.
class Waiter {
 public:
  virtual ~Waiter() = default;
  virtual Result<WaitResult> wait(const std::function<bool()>& alive) = 0;
};

struct LogOptions {
  bool stdout = true;
  bool stderr = true;
  bool follow = false;
  bool timestamps = false;
  long long tail = -1;  // -1 = all
  int64_t since = 0;    // unix nanos, 0 = from the start
  int64_t until = 0;    // unix nanos, 0 = no end
};

// One log entry: stream 1 = stdout, 2 = stderr.
using LogSink = std::function<bool(int stream, const std::string& data, int64_t time_nanos)>;

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> open(const EngineOptions& options);
  ~Engine();

  image::ImageStore& images() { return *images_; }
  EventLog& events() { return events_; }
  std::string runtime_root() const { return options_.exec_root + "/runtime"; }
  const EngineOptions& options() const { return options_; }

  Result<CreateResult> create_container(const CreateRequest& request);
  Status start_container(const std::string& ref);
  // timeout: seconds before SIGKILL (default the container's StopTimeout or 10); signal "" =
  // the container's stop signal.
  Status stop_container(const std::string& ref, std::optional<int> timeout,
                        const std::string& signal);
  Status kill_container(const std::string& ref, const std::string& signal);
  Status remove_container(const std::string& ref, bool force);
  Status restart_container(const std::string& ref, std::optional<int> timeout,
                           const std::string& signal);
  Status pause_container(const std::string& ref);
  Status unpause_container(const std::string& ref);
  Status rename_container(const std::string& ref, const std::string& new_name);
  // Changes resources (and the restart policy) of a container, live when it runs.  Returns
  // warnings.
  Result<std::vector<std::string>> update_container(const std::string& ref, const Json& update);
  // Removes stopped containers matching `filters` (label, until); returns their IDs.
  Result<std::vector<std::string>> prune_containers(const Json& filters);
  // `ps` inside the container: Docker's {"Titles": [...], "Processes": [[...]]}.
  Result<Json> top(const std::string& ref, const std::string& ps_args);
  // docker exec: create records the process; start runs it (berth-runtime exec) and hands
  // back its streams; the exit code lands in the record when it ends.
  Result<std::string> create_exec(const std::string& ref, const Json& config);
  Result<ExecSession> start_exec(const std::string& exec_id, bool detach);
  Result<ExecRecord> get_exec(const std::string& exec_id);
  Status resize_exec(const std::string& exec_id, int height, int width);
  // Blocks until the exec's process ended (or `alive` says false); returns its exit code.
  Result<int> wait_exec(const std::string& exec_id, const std::function<bool()>& alive);
  // Resource usage of a running container's cgroup (zeros for a stopped one).
  Result<runtime::CgroupStats> stats(const std::string& ref);
  Result<Container> get_container(const std::string& ref);
  std::vector<Container> list_containers();
  Result<std::unique_ptr<Waiter>> register_wait(const std::string& ref, WaitCondition condition);
  // The container's attach stream (see shim/shim_client.h), in two steps so the caller can
  // answer its client in between: begin_attach registers (for a created container, start then
  // connects it before the process runs, so nothing it prints is missed) or connects at once
  // (running); finish_attach waits for the stream while `alive()`.
  struct AttachTicket;
  Result<std::shared_ptr<AttachTicket>> begin_attach(const std::string& ref, bool in, bool out,
                                                     bool err);
  Result<UniqueFd> finish_attach(const std::shared_ptr<AttachTicket>& ticket,
                                 const std::function<bool()>& alive);
  Status resize(const std::string& ref, int height, int width);
  // Sends the log entries to `sink` until done (or, following, the container stopped or the
  // sink returned false).
  Status read_logs(const std::string& ref, const LogOptions& options, const LogSink& sink);

  // Paths
  std::string container_dir(const std::string& id) const;
  std::string shim_dir(const std::string& id) const;
  std::string log_path(const std::string& id) const;
  std::string rootfs_path(const std::string& id) const;

  struct Counts {
    int total = 0, running = 0, paused = 0, stopped = 0;
  };
  Counts counts();

 private:
  struct Entry;
  class WaiterImpl;
  friend class WaiterImpl;
  explicit Engine(const EngineOptions& options);

  Result<std::shared_ptr<Entry>> find(const std::string& ref);  // REQUIRES: mu_ held
  Status persist(const Container& c);                           // REQUIRES: mu_ held
  Status start_locked(std::unique_lock<std::mutex>& lock, const std::shared_ptr<Entry>& e);
  void monitor(std::shared_ptr<Entry> e);
  void on_exit(const std::shared_ptr<Entry>& e, int exit_code, int64_t finished_at, bool oom);
  Status remove_locked(const std::shared_ptr<Entry>& e);
  Status wait_exit_locked(std::unique_lock<std::mutex>& lock, const std::shared_ptr<Entry>& e,
                          int timeout_secs);
  void restore();
  void publish(const Container& c, const std::string& action,
               std::map<std::string, std::string> extra = {});
  // After an exit: restart per the container's policy (REQUIRES: mu_ held).
  void maybe_restart_locked(const std::shared_ptr<Entry>& e, int64_t ran_nanos);
  std::string unique_name();

  EngineOptions options_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<image::ImageStore> images_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;  // by id
  EventLog events_;
  std::map<std::string, std::shared_ptr<ExecRecord>> execs_;  // by exec id
  std::map<std::string, UniqueFd> exec_ptys_;  // exec id -> a dup of its pty master (resize)
};

// Docker's words for a container reference that matches nothing.
Error no_such_container(const std::string& ref);
int parse_signal(const std::string& text);  // "SIGTERM", "TERM", "15" -> 15; 0 when unknown

}  // namespace berth::engine
