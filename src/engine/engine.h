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
#include "engine/log_config.h"
#include "image/image_store.h"
#include "model/container.h"
#include "model/exec.h"
#include "model/network.h"
#include "model/volume.h"
#include "runtime/cgroups/cgroup.h"
#include "store/db.h"
#include "volume/volume.h"

namespace berth::network {
class Controller;
}

namespace berth::engine {
class Filters;

struct EngineOptions {
  std::string data_root = "/var/lib/berth";
  std::string exec_root = "/run/berth";
  std::string shim_binary;              // berth-shim; default: next to the daemon binary
  std::string cgroup_parent = "berth";  // containers' cgroups go below this
  std::string busybox_path = "/bin/busybox";
  std::vector<std::string> insecure_registries;  // --insecure-registry: plain HTTP allowed
  std::string runtime_binary;  // berth-runtime; default: next to the daemon binary
  std::string init_path;       // --init's process (tini-static); found on the host when empty
  // Networking (dockerd's --bridge, --bip, --default-address-pool, --iptables).
  std::string bridge = "berth0";  // the default bridge network's Linux bridge
  std::string bip;                // gateway/prefix of the default bridge ("" = 172.17.0.1/16)
  std::vector<std::string> default_pools;  // "base=10.10.0.0/16,size=24": subnets of new
                                           // networks (and of the default bridge without bip)
  bool iptables = true;                    // NAT and port publishing rules (nftables)
  LogDefaults log_defaults;  // --log-driver, --log-opt: a container's LogConfig defaults
};

struct CreateRequest {
  std::string name;  // "" = generate one
  model::ContainerConfig config;
  model::HostConfig host_config;
  // NetworkingConfig.EndpointsConfig, by network name.
  model::Map<model::EndpointSettings> endpoints_config;
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
  bool details = false;  // each line starts with its log attributes and a space (log_attrs.h)
  long long tail = -1;   // -1 = all
  int64_t since = 0;     // unix nanos, 0 = from the start
  int64_t until = 0;     // unix nanos, 0 = no end
};

// One log entry: stream 1 = stdout, 2 = stderr.
using LogSink = std::function<bool(int stream, const std::string& data, int64_t time_nanos)>;

// docker commit: the container's changes as a new image (engine_commit.cpp).
struct CommitRequest {
  std::string container;
  std::string repo, tag;  // "" = untagged; tag "" = latest
  std::string comment, author;
  bool pause = true;
  std::vector<std::string> changes;  // Dockerfile instructions: "CMD [\"x\"]", "ENV A=b"
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> open(const EngineOptions& options);
  ~Engine();

  image::ImageStore& images() { return *images_; }
  // Image operations that are events (engine_image.cpp): the image store does the work, the
  // engine reports it as dockerd does (pull, push, tag, untag, delete, load, save).
  Result<image::Image> pull_image(const std::string& ref, const image::PullOptions& options,
                                  const image::EventFn& progress);
  Result<std::string> push_image(const std::string& ref, const image::RegistryAuth& auth,
                                 const image::EventFn& progress);
  Status tag_image(const std::string& image_id, const std::string& ref);
  // Docker's removal; Conflict when containers use the image (force: unless one runs).
  Result<std::vector<image::RemoveItem>> remove_image(const std::string& ref, bool force,
                                                      bool noprune);
  Result<std::vector<std::string>> load_images(int tar_fd, const image::ProgressFn& progress);
  Status save_images(const std::vector<std::string>& refs, int out_fd);
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
  // `remove_volumes` (rm -v) also removes the container's anonymous volumes no one else uses.
  Status remove_container(const std::string& ref, bool force, bool remove_volumes = false);
  Status restart_container(const std::string& ref, std::optional<int> timeout,
                           const std::string& signal);
  Status pause_container(const std::string& ref);
  Status unpause_container(const std::string& ref);
  Status rename_container(const std::string& ref, const std::string& new_name);
  // Changes resources (and the restart policy) of a container, live when it runs: as dockerd,
  // the non-zero values (and the non-null optional ones) of `update`.  Returns warnings.
  Result<std::vector<std::string>> update_container(const std::string& ref,
                                                    const model::ContainerUpdateConfig& update);
  // Removes stopped containers matching `filters` (label, until); returns their IDs.
  Result<std::vector<std::string>> prune_containers(const Json& filters);
  // `ps` inside the container.
  Result<model::ContainerTopResponse> top(const std::string& ref, const std::string& ps_args);
  // docker exec: create records the process; start runs it (berth-runtime exec) and hands
  // back its streams; the exit code lands in the record when it ends.
  Result<std::string> create_exec(const std::string& ref, const model::ExecCreateRequest& config);
  Result<ExecSession> start_exec(const std::string& exec_id, bool detach);
  Result<ExecRecord> get_exec(const std::string& exec_id);
  Status resize_exec(const std::string& exec_id, int height, int width);
  // Blocks until the exec's process ended (or `alive` says false); returns its exit code.
  Result<int> wait_exec(const std::string& exec_id, const std::function<bool()>& alive);
  // Files: /changes (Kind 0 modified | 1 added | 2 deleted), export, and docker cp's archive
  // endpoints.  A stopped container's rootfs is mounted for the call.
  Result<model::List<model::FilesystemChange>> changes(const std::string& ref);
  Status export_rootfs(const std::string& ref, int out_fd);
  struct PathStat {
    std::string name;
    int64_t size = 0;
    uint32_t mode = 0;  // Go's os.FileMode bits, as the docker CLI decodes them
    std::string mtime;  // RFC 3339
    std::string link_target;
  };
  Result<PathStat> stat_path(const std::string& ref, const std::string& path);
  Status archive_get(const std::string& ref, const std::string& path, int out_fd);
  Status archive_put(const std::string& ref, const std::string& path, int in_fd, bool copy_uid_gid);
  // Resource usage of a running container's cgroup (zeros for a stopped one).
  Result<runtime::CgroupStats> stats(const std::string& ref);
  Result<Container> get_container(const std::string& ref);
  // Docker's SizeRw (the files of the writable layer, counted as base/file.h tree_size does) and
  // SizeRootFs (the image's size plus SizeRw).  Walks the layer: only when a client asks.
  struct DiskUsage {
    int64_t size_rw = 0;
    int64_t size_root_fs = 0;
  };
  DiskUsage disk_usage(const std::string& id, const std::string& image_id);
  std::vector<Container> list_containers();
  // Calls `fn` with each container under the engine's lock, so a listing copies only what it
  // keeps (copying 1,000 Configs and HostConfigs cost a `ps -a` most of its time).
  // REQUIRES: `fn` calls nothing on the engine and does no slow work.
  void visit_containers(const std::function<void(const Container&)>& fn);
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

  // Commits the container's overlay upper dir (pausing a running one when asked); returns the
  // new image ID.
  Result<std::string> commit_container(const CommitRequest& request);
  // Writes the container's changes as a layer tar at `tar_path` (overlay whiteouts become .wh.
  // entries; mtimes clamped to `clamp_mtime` when >= 0).  False when nothing changed.
  Result<bool> export_changes(const std::string& ref, const std::string& tar_path,
                              int64_t clamp_mtime = -1);
  store::Db& db() { return *db_; }

  // Volumes (engine_volume.cpp); Docker's wording in errors.
  Result<volume::Volume> create_volume(const volume::CreateOptions& options);
  Result<volume::Volume> get_volume(const std::string& name);
  Result<model::List<model::Volume>> list_volumes(const Json& filters);
  Status remove_volume(const std::string& name, bool force);
  Result<model::VolumePruneResponse> prune_volumes(const Json& filters);
  // Networks (container_networks.cpp): Docker's shapes in and out.
  Result<model::NetworkCreateResponse> create_network(const model::NetworkCreateRequest& request);
  Result<model::Network> inspect_network(const std::string& ref);
  Result<model::List<model::Network>> list_networks(const Json& filters);
  Status remove_network(const std::string& ref);
  Result<model::NetworkPruneResponse> prune_networks(const Json& filters);
  Status connect_network(const std::string& net, const std::string& container,
                         const model::EndpointSettings& endpoint_config);
  Status disconnect_network(const std::string& net, const std::string& container, bool force);

  // Paths
  std::string container_dir(const std::string& id) const;
  std::string shim_dir(const std::string& id) const;
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
  Status remove_locked(const std::shared_ptr<Entry>& e, bool remove_volumes = false);
  Status wait_exit_locked(std::unique_lock<std::mutex>& lock, const std::shared_ptr<Entry>& e,
                          int timeout_secs);
  void restore();
  // The HEALTHCHECK loop of a started container (engine_health.cpp); ends with that run.
  void start_health_monitor(const std::shared_ptr<Entry>& e);
  void kill_probe(const std::string& exec_id);  // a timed-out probe's process in the container
  Result<std::pair<int, std::string>> run_probe(const std::string& id,
                                                const std::vector<std::string>& test,
                                                int64_t timeout_nanos);
  // Volumes (engine_volume.cpp); REQUIRES: mu_ held.
  Status resolve_mounts(Container& c, const std::vector<std::string>& image_volumes);
  Status mount_volumes(const Container& c, const std::string& rootfs, Json& spec);
  void release_volumes(const Container& c);
  std::vector<std::string> volume_users(const std::string& name);
  void remove_anonymous_volumes(const Container& c);
  bool volume_matches(const volume::Volume& v, const Filters& filters);
  // Networks (engine_network*.cpp); REQUIRES: mu_ held.
  Status open_networks();                 // default networks, rules and DNS of running containers
  Status resolve_networks(Container& c);  // create: endpoints from NetworkMode/EndpointsConfig
  Status setup_network(Container& c, Json& spec);  // start: netns, veths, ports, /etc files
  void teardown_network(Container& c);             // exit: the reverse
  // Runs `fn(rootfs)` with the container's rootfs mounted (mounting a stopped one meanwhile).
  Status with_rootfs(const std::string& ref,
                     const std::function<Status(const Container&, const std::string&)>& fn);
  // Events (engine_events.cpp): one sink, events_, for every actor type.
  void publish(const Container& c, const std::string& action,
               std::map<std::string, std::string> extra = {});
  void publish_actor(const std::string& type, const std::string& action, const std::string& id,
                     std::map<std::string, std::string> attributes);
  void publish_image(const std::string& action, const std::string& id, const std::string& name);
  // A network's event: name and type (its driver), plus the container for connect/disconnect.
  void publish_network(const model::Network& net, const std::string& action,
                       const std::string& container_id = "");
  // After an exit: restart per the container's policy (REQUIRES: mu_ held).
  void maybe_restart_locked(const std::shared_ptr<Entry>& e, int64_t ran_nanos);
  std::string unique_name();

  EngineOptions options_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<image::ImageStore> images_;
  std::unique_ptr<volume::VolumeStore> volumes_;
  std::unique_ptr<network::Controller> net_;
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
