// Opening the engine, looking containers up, creating and removing them.
#include "engine/engine.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/log.h"
#include "base/process.h"
#include "base/random_id.h"
#include "base/strings.h"
#include "base/time.h"
#include "engine/container_entry.h"
#include "engine/host_config.h"
#include "engine/names.h"
#include "engine/rootfs_mount.h"
#include "model/container_json.h"
#include "model/image_json.h"
#include "network/controller.h"

namespace berth::engine {

Error no_such_container(const std::string& ref) {
  return make_error(Code::kNotFound, "No such container: " + ref);
}

int parse_signal(const std::string& text) {
  static const std::pair<const char*, int> kSignals[] = {
      {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"ILL", SIGILL},
      {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"BUS", SIGBUS},     {"FPE", SIGFPE},
      {"KILL", SIGKILL},     {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
      {"PIPE", SIGPIPE},     {"ALRM", SIGALRM}, {"TERM", SIGTERM},   {"CHLD", SIGCHLD},
      {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},
      {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
      {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
      {"PWR", SIGPWR},       {"SYS", SIGSYS}};
  long long n;
  if (parse_int64(text, &n)) return (n > 0 && n < 65) ? static_cast<int>(n) : 0;
  std::string name = text;
  for (auto& ch : name) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
  if (name.rfind("SIG", 0) == 0) name = name.substr(3);
  for (auto& [n2, v] : kSignals)
    if (name == n2) return v;
  return 0;
}

// The data root's modes, also on a root an earlier version left 0755 (CVE-2021-41091: a local
// user ran setuid binaries out of image layers and read containers' environments).  Only root
// traverses it: the shim mounts each rootfs as root and nothing in a container resolves a host
// path, so 0711 on the root (as dockerd) and 0700 below, except dockerd's 0710 containers/ and
// 0701 volumes/.  The database files are 0600 (store::Db::open).
Status secure_data_root(const std::string& root) {
  if (::chmod(root.c_str(), 0711) != 0) return sys_error("chmod " + root);
  BERTH_TRY_ASSIGN(auto entries, list_dir(root));
  for (auto& name : entries) {
    std::string path = root + "/" + name;
    if (!is_directory(path)) continue;
    mode_t mode = name == "containers" ? 0710 : name == "volumes" ? 0701 : 0700;
    if (::chmod(path.c_str(), mode) != 0) return sys_error("chmod " + path);
  }
  return ok_status();
}

Engine::Engine(const EngineOptions& options) : options_(options) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const EngineOptions& options) {
  std::unique_ptr<Engine> engine(new Engine(options));
  // Berth's own binaries default to the daemon's directory; resolved once, not per start/exec.
  if (engine->options_.shim_binary.empty())
    engine->options_.shim_binary = self_executable_dir() + "/berth-shim";
  if (engine->options_.runtime_binary.empty())
    engine->options_.runtime_binary = self_executable_dir() + "/berth-runtime";
  if (engine->options_.init_path.empty()) {
    for (const char* p : {"/usr/bin/tini-static", "/usr/bin/docker-init"}) {
      if (path_exists(p)) {
        engine->options_.init_path = p;
        break;
      }
    }
  }
  for (auto& dir : {options.data_root, options.data_root + "/containers", options.exec_root,
                    options.exec_root + "/containers", options.exec_root + "/runtime"}) {
    BERTH_TRY_CTX(make_dirs(dir, 0710), "open engine");
  }
  BERTH_TRY_ASSIGN(engine->db_, store::Db::open(options.data_root + "/berth.db"));
  BERTH_TRY_ASSIGN(engine->images_, image::ImageStore::open(options.data_root, *engine->db_));
  image::RegistrySettings registries;
  registries.insecure_registries = options.insecure_registries;
  engine->images_->set_registry_settings(registries);
  BERTH_TRY_ASSIGN(engine->volumes_,
                   volume::VolumeStore::open(*engine->db_, options.data_root + "/volumes"));
  BERTH_TRY_ASSIGN(auto records, engine->db_->list(store::Table::kContainers));
  for (auto& [id, text] : records) {
    auto c = container_from_record(text);
    if (!c) {
      log_error("skip container " + id + ": " + c.error().message);
      continue;
    }
    auto e = std::make_shared<Entry>();
    e->c = std::move(*c);
    engine->entries_[id] = e;
  }
  BERTH_TRY_CTX(engine->open_networks(), "open networks");
  BERTH_TRY_CTX(secure_data_root(options.data_root), "open engine");
  engine->restore();
  return engine;
}

std::string Engine::container_dir(const std::string& id) const {
  return options_.data_root + "/containers/" + id;
}
std::string Engine::shim_dir(const std::string& id) const {
  return options_.exec_root + "/containers/" + id;
}
std::string Engine::rootfs_path(const std::string& id) const {
  return container_dir(id) + "/rootfs";
}

Result<std::shared_ptr<Engine::Entry>> Engine::find(const std::string& ref) {
  if (ref.empty()) return no_such_container(ref);
  if (auto it = entries_.find(ref); it != entries_.end()) return it->second;
  std::string name = ref[0] == '/' ? ref.substr(1) : ref;
  for (auto& [id, e] : entries_)
    if (e->c.name == name) return e;
  std::shared_ptr<Entry> match;
  for (auto& [id, e] : entries_) {
    if (id.compare(0, ref.size(), ref) == 0) {
      if (match) {
        return make_error(Code::kInvalidArgument,
                          "multiple IDs found with provided prefix: " + ref);
      }
      match = e;
    }
  }
  if (!match) return no_such_container(ref);
  return match;
}

Status Engine::persist(const Container& c) {
  return db_->put(store::Table::kContainers, c.id, dump_container_record(c));
}

Result<Container> Engine::get_container(const std::string& ref) {
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  return e->c;
}

void Engine::visit_containers(const std::function<void(const Container&)>& fn) {
  std::lock_guard lock(mu_);
  for (auto& [id, e] : entries_) fn(e->c);
}

std::vector<Container> Engine::list_containers() {
  std::lock_guard lock(mu_);
  std::vector<Container> out;
  for (auto& [id, e] : entries_) out.push_back(e->c);
  return out;
}

Engine::Counts Engine::counts() {
  std::lock_guard lock(mu_);
  Counts n;
  for (auto& [id, e] : entries_) {
    ++n.total;
    if (e->c.state.status == RunState::kRunning)
      ++n.running;
    else if (e->c.state.status == RunState::kPaused)
      ++n.paused;
    else
      ++n.stopped;
  }
  return n;
}

std::string Engine::unique_name() {
  for (int i = 0; i < 100; ++i) {
    std::string name = random_container_name();
    if (i > 10) name += std::to_string(i);
    bool taken = false;
    for (auto& [id, e] : entries_) taken = taken || e->c.name == name;
    if (!taken) return name;
  }
  return random_hex_id().substr(0, 12);
}

namespace {
// The image config's Healthcheck: image::ImageConfig does not carry it, the config blob does.
std::optional<model::HealthConfig> image_healthcheck(const image::Image& image) {
  auto parsed = parse_json(image.config_json, "image config");
  if (!parsed || !parsed->is_object()) return std::nullopt;
  auto config = parsed->find("config");  // the OCI image config's member, not an API object
  if (config == parsed->end()) return std::nullopt;
  auto ic = model::from_json<model::ImageConfig>(*config, "config");
  if (!ic) return std::nullopt;
  return std::move(ic->healthcheck);
}

// Docker's merge of the image config into the container config (daemon/create.go merge()).
void merge_image_config(model::ContainerConfig& config, const image::Image& image) {
  const image::ImageConfig& ic = image.config;
  // HEALTHCHECK from the image unless the container brings its own.
  if (!config.healthcheck) config.healthcheck = image_healthcheck(image);
  bool has_cmd = !config.cmd.empty();
  if (config.entrypoint.is_null()) {
    if (ic.entrypoint.empty())
      config.entrypoint.set_null();
    else
      config.entrypoint = ic.entrypoint;
    if (!has_cmd) {
      if (ic.cmd.empty())
        config.cmd.set_null();
      else
        config.cmd = ic.cmd;
    }
  }
  if (config.entrypoint.size() == 1 && config.entrypoint[0].empty())
    config.entrypoint.set_null();  // --entrypoint "" clears the image's
  std::vector<std::string> env = ic.env;
  for (auto& kv : config.env) {
    std::string key = kv.substr(0, kv.find('='));
    bool replaced = false;
    for (auto& e : env) {
      if (e.substr(0, e.find('=')) == key) {
        e = kv;
        replaced = true;
      }
    }
    if (!replaced) env.push_back(kv);
  }
  config.env = std::move(env);
  if (config.working_dir.empty() && !ic.working_dir.empty()) config.working_dir = ic.working_dir;
  if (config.user.empty() && !ic.user.empty()) config.user = ic.user;
  if (config.stop_signal.empty() && !ic.stop_signal.empty()) config.stop_signal = ic.stop_signal;
  if (config.labels.is_null()) config.labels.set_empty();
  for (auto& [k, v] : ic.labels) config.labels.emplace(k, v);
}
}  // namespace

Result<CreateResult> Engine::create_container(const CreateRequest& request) {
  model::ContainerConfig config = request.config;
  model::HostConfig host_config = request.host_config;
  BERTH_TRY(validate_host_config(host_config));
  BERTH_TRY(merge_log_config(host_config, options_.log_defaults));
  std::string image_ref = config.image;
  if (image_ref.empty()) return make_error(Code::kInvalidArgument, "No image specified");
  auto image = images_->get(image_ref);
  if (!image) {
    if (image.error().code != Code::kNotFound) return std::move(image).error();
    auto familiar = image::normalize_reference(image_ref);
    return make_error(Code::kNotFound, "No such image: " + (familiar ? *familiar : image_ref));
  }
  merge_image_config(config, *image);
  std::vector<std::string> argv(config.entrypoint.begin(), config.entrypoint.end());
  argv.insert(argv.end(), config.cmd.begin(), config.cmd.end());
  if (argv.empty()) return make_error(Code::kInvalidArgument, "no command specified");

  std::string name = request.name;
  if (!name.empty() && name[0] == '/') name = name.substr(1);
  if (!name.empty() && !valid_container_name(name)) {
    return make_error(Code::kInvalidArgument, "Invalid container name (" + name +
                                                  "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
  }

  std::unique_lock lock(mu_);
  if (!name.empty()) {
    for (auto& [id, e] : entries_) {
      if (e->c.name == name) {
        return make_error(Code::kConflict, "Conflict. The container name \"/" + name +
                                               "\" is already in use by container \"" + id +
                                               "\". You have to remove (or rename) that container "
                                               "to be able to reuse that name.");
      }
    }
  } else {
    name = unique_name();
  }
  auto e = std::make_shared<Entry>();
  Container& c = e->c;
  c.id = random_hex_id();
  c.name = name;
  c.created = now_nanos();
  c.image_id = image->id;
  c.image_ref = image_ref;
  c.path = argv[0];
  c.args.assign(argv.begin() + 1, argv.end());
  if (config.hostname.empty()) config.hostname = c.id.substr(0, 12);
  c.config = std::move(config);
  c.host_config = std::move(host_config);
  c.endpoints_config = request.endpoints_config;
  BERTH_TRY(resolve_networks(c));
  BERTH_TRY(resolve_mounts(c, image->config.volumes));

  RootfsLayout layout{container_dir(c.id) + "/diff", container_dir(c.id) + "/work",
                      rootfs_path(c.id)};
  BERTH_TRY_CTX(prepare_rootfs_dirs(layout), "create container");
  Status st = persist(c);
  if (!st) {
    (void)remove_all(container_dir(c.id));
    return std::move(st).error();
  }
  entries_[c.id] = e;
  publish(c, "create");
  return CreateResult{c.id, {}};
}

Status Engine::remove_container(const std::string& ref, bool force, bool remove_volumes) {
  std::unique_lock lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  if (e->c.running()) {
    if (!force) {
      return make_error(Code::kConflict, "cannot remove container \"/" + e->c.name +
                                             "\": container is running: stop the container "
                                             "before removing or force remove");
    }
    shim::ShimClient shim(shim_dir(e->c.id));
    (void)shim.kill(SIGKILL);
    BERTH_TRY(wait_exit_locked(lock, e, 30));
  }
  if (e->removed) return ok_status();
  return remove_locked(e, remove_volumes);
}

Status Engine::remove_locked(const std::shared_ptr<Entry>& e, bool remove_volumes) {
  const std::string id = e->c.id;
  e->c.state.status = RunState::kRemoving;
  (void)unmount_rootfs(rootfs_path(id));
  BERTH_TRY_CTX(db_->remove(store::Table::kContainers, id), "remove container " + id);
  entries_.erase(id);
  if (remove_volumes || e->c.auto_remove()) remove_anonymous_volumes(e->c);
  ++e->restart_token;
  publish(e->c, "destroy");
  e->removed = true;
  cv_.notify_all();
  Status st = remove_all(container_dir(id));
  (void)remove_all(shim_dir(id));
  if (!st) log_warn("remove container dir: " + st.error().message);
  return ok_status();
}

}  // namespace berth::engine
