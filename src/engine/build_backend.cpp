// builder::Backend implemented by the engine: a RUN step is a container created from the step's
// image, started, its output followed through the json-file log, its exit waited for, its
// changes exported as a layer tar, then removed.  The cache lives in the kMeta table under
// "build-cache/<key>", so it survives daemon restarts.
#include "engine/build_backend.h"

#include <sys/mount.h>
#include <unistd.h>

#include <optional>

#include "base/file.h"
#include "base/random_id.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "engine/build_mounts.h"
#include "model/container_json.h"

namespace berth::engine {
namespace {

constexpr const char* kCachePrefix = "build-cache/";

class EngineBackend : public builder::Backend {
 public:
  explicit EngineBackend(Engine& e) : e_(e) {}

  image::ImageStore& images() override { return e_.images(); }
  Status tag(const std::string& image_id, const std::string& ref) override {
    return e_.tag_image(image_id, ref);
  }

  std::string tmp_dir() override {
    std::string d = e_.options().data_root + "/tmp";
    (void)make_dirs(d);
    return d;
  }

  std::string cache_mount_dir(const std::string& id) override {
    std::string d = e_.options().data_root + "/build-cache-mounts/" + id;
    (void)make_dirs(d);
    return d;
  }

  Result<RunResult> run(const RunSpec& spec,
                        const std::function<void(const std::string&)>& output) override {
    CreateRequest req;
    req.config = spec.config;
    req.config.attach_stdout = true;
    req.config.attach_stderr = true;
    req.config.labels.set_empty();  // the image's labels are not the step's
    // The step's output is read back from its log, whatever the daemon's default driver.
    req.host_config.log_config.type = "json-file";
    req.host_config.log_config.config.set_empty();
    if (spec.network_none) req.host_config.network_mode = "none";
    if (!spec.binds.empty()) req.host_config.binds = spec.binds;
    for (auto& t : spec.tmpfs) req.host_config.tmpfs[t] = "";
    // Secrets: a tmpfs that outlives the container (destroyed in reverse order), env values
    // only in this step's container config.
    std::optional<SecretMount> secrets;
    if (!spec.secrets.empty()) {
      BERTH_TRY_ASSIGN(SecretMount m, SecretMount::create(tmp_dir(), spec.secrets));
      secrets.emplace(std::move(m));
      for (auto& b : secrets->binds()) req.host_config.binds.push_back(b);
    }
    for (auto& e : spec.secret_env) req.config.env.push_back(e);
    BERTH_TRY_ASSIGN(CreateResult created, e_.create_container(req));
    RunResult rr;
    rr.container_id = created.id;
    ScopeExit remove([&] { (void)e_.remove_container(created.id, true); });
    output(" ---> Running in " + created.id.substr(0, 12) + "\n");
    BERTH_TRY_ASSIGN(auto waiter, e_.register_wait(created.id, WaitCondition::kNextExit));
    BERTH_TRY(e_.start_container(created.id));
    LogOptions lo;
    lo.follow = true;
    (void)e_.read_logs(created.id, lo, [&](int, const std::string& data, int64_t) {
      output(data);
      return true;
    });
    BERTH_TRY_ASSIGN(WaitResult wr, waiter->wait([] { return true; }));
    rr.exit_code = wr.status_code;
    if (rr.exit_code == 0) {
      std::vector<std::string> targets = spec.tmpfs;
      for (auto& b : spec.binds)
        targets.push_back(split(b, ':').size() > 1 ? split(b, ':')[1] : "");
      for (auto& f : spec.secrets) targets.push_back(f.target);
      std::vector<std::string> lowers;
      if (!spec.image_id.empty()) {
        BERTH_TRY_ASSIGN(image::Image img, e_.images().get(spec.image_id));
        BERTH_TRY_ASSIGN(lowers, e_.images().layer_dirs(img));
      }
      remove_mount_stubs(e_.container_dir(created.id) + "/diff", lowers, targets);
      BERTH_TRY_ASSIGN(rr.changed, e_.export_changes(created.id, spec.layer_tar, spec.clamp_mtime));
    }
    return rr;
  }

  Result<std::string> mount_image(const std::string& image_id) override {
    BERTH_TRY_ASSIGN(image::Image img, e_.images().get(image_id));
    BERTH_TRY_ASSIGN(auto lowers, e_.images().layer_dirs(img));
    std::string mnt = tmp_dir() + "/mnt-" + random_hex_id().substr(0, 16);
    BERTH_TRY(make_dirs(mnt));
    if (lowers.empty()) return mnt;
    int rc;
    if (lowers.size() == 1) {
      rc = ::mount(lowers[0].c_str(), mnt.c_str(), nullptr, MS_BIND | MS_REC, nullptr);
      if (rc == 0)
        (void)::mount(nullptr, mnt.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr);
    } else {
      std::string opts = "lowerdir=" + join(lowers, ":");
      rc = ::mount("overlay", mnt.c_str(), "overlay", MS_RDONLY, opts.c_str());
    }
    if (rc != 0) {
      Error err = sys_error("mount image " + image_id + " at " + mnt);
      (void)::rmdir(mnt.c_str());
      return err;
    }
    return mnt;
  }

  void unmount_image(const std::string& path) override {
    (void)::umount2(path.c_str(), MNT_DETACH);
    (void)::rmdir(path.c_str());
  }

  Result<std::string> cache_get(const std::string& key) override {
    return e_.db().get(store::Table::kMeta, kCachePrefix + key);
  }
  Status cache_put(const std::string& key, const std::string& value) override {
    return e_.db().put(store::Table::kMeta, kCachePrefix + key, value);
  }
  Result<std::vector<std::string>> cache_clear() override {
    BERTH_TRY_ASSIGN(auto rows, e_.db().list(store::Table::kMeta));
    std::vector<std::string> values;
    for (auto& [k, v] : rows) {
      if (k.compare(0, 12, kCachePrefix) != 0) continue;
      BERTH_TRY(e_.db().remove(store::Table::kMeta, k));
      values.push_back(v);
    }
    (void)remove_all(e_.options().data_root + "/build-cache-mounts");
    return values;
  }

 private:
  Engine& e_;
};

}  // namespace

std::unique_ptr<builder::Backend> make_build_backend(Engine& engine) {
  return std::make_unique<EngineBackend>(engine);
}

}  // namespace berth::engine
