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
#include "image/image_store.h"
#include "store/db.h"

namespace berth::engine {

struct EngineOptions {
  std::string data_root = "/var/lib/berth";
  std::string exec_root = "/run/berth";
  std::string shim_binary;              // berth-shim; default: next to the daemon binary
  std::string cgroup_parent = "berth";  // containers' cgroups go below this
  std::string busybox_path = "/bin/busybox";
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
  const EngineOptions& options() const { return options_; }

  Result<CreateResult> create_container(const CreateRequest& request);
  Status start_container(const std::string& ref);
  // timeout: seconds before SIGKILL (default the container's StopTimeout or 10); signal "" =
  // the container's stop signal.
  Status stop_container(const std::string& ref, std::optional<int> timeout,
                        const std::string& signal);
  Status kill_container(const std::string& ref, const std::string& signal);
  Status remove_container(const std::string& ref, bool force);
  Result<Container> get_container(const std::string& ref);
  std::vector<Container> list_containers();
  Result<std::unique_ptr<Waiter>> register_wait(const std::string& ref, WaitCondition condition);
  // The container's attach stream (see shim/shim_client.h).  For a created container it blocks
  // until the container starts (so nothing it prints is missed), while `alive()`.
  Result<UniqueFd> attach(const std::string& ref, bool in, bool out, bool err,
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
  std::string unique_name();

  EngineOptions options_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<image::ImageStore> images_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;  // by id
};

// Docker's words for a container reference that matches nothing.
Error no_such_container(const std::string& ref);
int parse_signal(const std::string& text);  // "SIGTERM", "TERM", "15" -> 15; 0 when unknown

}  // namespace berth::engine
