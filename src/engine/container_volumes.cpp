// Volumes as containers use them: Binds, Mounts, the image's VOLUMEs and --volumes-from resolved
// at create into the container's mount points; at start each is acquired (copy-up of image
// content into a new empty volume) and becomes a spec mount; removal refused while in use.
#include <sys/stat.h>

#include <algorithm>

#include "base/file.h"
#include "base/log.h"
#include "base/path.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "engine/container_entry.h"
#include "engine/engine.h"
#include "engine/filters.h"

namespace berth::engine {

namespace {
using model::MountType;

model::MountPointRecord mount_point(MountType type, const std::string& name,
                                    const std::string& source, const std::string& dest,
                                    const std::string& mode, bool rw,
                                    model::MountPropagation propagation) {
  model::MountPointRecord mp;
  mp.type = type;
  mp.name = name;
  mp.source = source;
  mp.destination = dest;
  mp.driver = type == MountType::kVolume ? "local" : "";
  mp.mode = mode;
  mp.rw = rw;
  mp.propagation = propagation;
  return mp;
}

// A mount point being resolved at create, with what its volume is created with.
struct NewMount {
  model::MountPointRecord mp;
  std::map<std::string, std::string> volume_options, volume_labels;
};

// "-v src:dst[:opts]" (moby volumes/mounts/parser_linux.go).
Result<NewMount> parse_bind(const std::string& spec) {
  std::vector<std::string> parts = split(spec, ':');
  if (parts.size() < 2 || parts.size() > 3 || parts[1].empty() || parts[0].empty())
    return make_error(Code::kInvalidArgument, "invalid volume specification: '" + spec + "'");
  std::string src = parts[0], dst = clean_path(parts[1]);
  if (dst[0] != '/')
    return make_error(Code::kInvalidArgument, "invalid volume specification: '" + spec +
                                                  "': invalid mount config for type \"" +
                                                  (src[0] == '/' ? "bind" : "volume") +
                                                  "\": invalid mount path: '" + parts[1] +
                                                  "' mount path must be absolute");
  std::string mode = parts.size() == 3 ? parts[2] : "";
  bool rw = true, copy = true;
  auto propagation =
      src[0] == '/' ? model::MountPropagation::kRprivate : model::MountPropagation::kEmpty;
  for (auto& m : split(mode, ',')) {
    if (m.empty() || m == "rw" || m == "z" || m == "Z") continue;
    if (m == "ro")
      rw = false;
    else if (m == "nocopy")
      copy = false;
    else if (!model::from_string(m, &propagation))
      return make_error(Code::kInvalidArgument, "invalid mode: " + mode);
  }
  bool bind = src[0] == '/';
  NewMount m;
  m.mp = mount_point(bind ? MountType::kBind : MountType::kVolume, bind ? "" : src,
                     bind ? clean_path(src) : "", dst, mode.empty() && !bind ? "z" : mode, rw,
                     propagation);
  m.mp.copy_data = copy;
  return m;
}

// HostConfig.Mounts entry (--mount).
Result<NewMount> parse_mount(const model::Mount& m) {
  std::string type = model::to_string(m.type), src = m.source;
  std::string dst = m.target;
  bool ro = m.read_only;
  auto bad = [&](const std::string& why) {
    return make_error(Code::kInvalidArgument,
                      "invalid mount config for type \"" + type + "\": " + why);
  };
  if (dst.empty()) return bad("field Target must not be empty");
  if (dst[0] != '/') return bad("invalid mount path: '" + dst + "' mount path must be absolute");
  dst = clean_path(dst);
  if (m.type == MountType::kBind) {
    if (src.empty()) return bad("field Source must not be empty");
    auto prop = model::MountPropagation::kRprivate;
    bool create = false;
    if (m.bind_options) {
      if (m.bind_options->propagation != model::MountPropagation::kEmpty)
        prop = m.bind_options->propagation;
      create = m.bind_options->create_mountpoint;
    }
    if (!path_exists(src) && !create) return bad("bind source path does not exist: " + src);
    NewMount n;
    n.mp = mount_point(MountType::kBind, "", clean_path(src), dst, "", !ro, prop);
    n.mp.create = create;
    return n;
  }
  if (m.type == MountType::kVolume) {
    NewMount n;
    n.mp = mount_point(MountType::kVolume, src, "", dst, "z", !ro, {});
    n.mp.copy_data = true;
    if (const auto& vo = m.volume_options) {
      n.mp.copy_data = !vo->no_copy;
      n.volume_labels.insert(vo->labels.begin(), vo->labels.end());
      if (vo->driver_config)
        n.volume_options.insert(vo->driver_config->options.begin(),
                                vo->driver_config->options.end());
    }
    return n;
  }
  if (m.type == MountType::kTmpfs) {
    if (!src.empty()) return bad("field Source must not be specified");
    NewMount n;
    n.mp = mount_point(MountType::kTmpfs, "", "", dst, "", !ro, {});
    n.mp.tmpfs_options.set_empty();
    if (const auto& to = m.tmpfs_options) {
      if (to->size_bytes > 0)
        n.mp.tmpfs_options.push_back("size=" + std::to_string(to->size_bytes));
      if (to->mode > 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "mode=%llo", static_cast<unsigned long long>(to->mode));
        n.mp.tmpfs_options.push_back(buf);
      }
    }
    return n;
  }
  return make_error(Code::kInvalidArgument, "mount type unknown: \"" + type + "\"");
}
}  // namespace

Status Engine::resolve_mounts(Container& c, const std::vector<std::string>& image_volumes) {
  std::vector<NewMount> points;
  std::map<std::string, size_t> by_dest;
  auto add = [&](NewMount m, bool user) -> Status {
    const std::string& dst = m.mp.destination;
    if (by_dest.count(dst)) {
      if (!user) return ok_status();  // the user's mount wins over the image's VOLUME
      return make_error(Code::kInvalidArgument, "Duplicate mount point: " + dst);
    }
    by_dest[dst] = points.size();
    points.push_back(std::move(m));
    return ok_status();
  };
  const model::HostConfig& hc = c.host_config;
  for (auto& b : hc.binds) {
    BERTH_TRY_ASSIGN(NewMount m, parse_bind(b));
    BERTH_TRY(add(std::move(m), true));
  }
  for (auto& mount : hc.mounts) {
    BERTH_TRY_ASSIGN(NewMount m, parse_mount(mount));
    BERTH_TRY(add(std::move(m), true));
  }
  // --volumes-from other[:ro|rw]: its mount points, with the mode given.
  for (auto& from : hc.volumes_from) {
    std::string ref = from.substr(0, from.find(':'));
    std::string mode = from.find(':') == std::string::npos ? "" : from.substr(from.find(':') + 1);
    BERTH_TRY_ASSIGN(auto other, find(ref));
    for (const auto& mp : other->c.mount_points) {
      NewMount m{mp, {}, {}};
      if (mode == "ro") m.mp.rw = false;
      if (mode == "rw") m.mp.rw = true;
      m.mp.copy_data = false;
      BERTH_TRY(add(std::move(m), true));
    }
  }
  // Anonymous volumes: `-v /path` (Config.Volumes) and the image's VOLUMEs.
  std::vector<std::string> anon = image_volumes;
  for (auto& [path, _] : c.config.volumes) anon.push_back(path);
  for (auto& path : anon) {
    NewMount m;
    m.mp = mount_point(MountType::kVolume, "", "", clean_path(path), "", true, {});
    m.mp.copy_data = true;
    BERTH_TRY(add(std::move(m), false));
  }
  // Create the volumes now (Docker does at create), anonymous ones with a random name.
  c.mount_points.set_empty();
  for (auto& m : points) {
    if (m.mp.type == MountType::kVolume) {
      volume::CreateOptions o;
      o.name = m.mp.name;
      o.options = std::move(m.volume_options);
      o.labels = std::move(m.volume_labels);
      bool existed = !o.name.empty() && volumes_->get(o.name).ok();
      BERTH_TRY_ASSIGN(volume::Volume v, volumes_->create(o));
      if (!existed) publish_actor("volume", "create", v.name, {{"driver", v.driver}});
      m.mp.name = v.name;
      m.mp.source = v.mountpoint;
      if (v.anonymous) m.mp.anonymous = true;
    }
    c.mount_points.push_back(std::move(m.mp));
  }
  return ok_status();
}

// `spec` is the OCI runtime config (config.json), written as JSON.
Status Engine::mount_volumes(const Container& c, const std::string& rootfs, Json& spec) {
  // Parents before children, so /a/b lands on /a's mount.
  std::vector<const model::MountPointRecord*> points;
  for (auto& mp : c.mount_points) points.push_back(&mp);
  std::stable_sort(points.begin(), points.end(),
                   [](auto* a, auto* b) { return a->destination.size() < b->destination.size(); });
  std::vector<std::string> acquired;
  bool ok = false;
  ScopeExit undo([&] {
    if (!ok)
      for (auto& n : acquired) volumes_->release(n);
  });
  for (const auto* mp : points) {
    const std::string& dst = mp->destination;
    auto& mounts = spec["mounts"];
    for (auto it = mounts.begin(); it != mounts.end();)
      it = (*it)["destination"] == dst ? mounts.erase(it) : it + 1;
    if (mp->type == MountType::kTmpfs) {
      std::vector<std::string> opts = {"nosuid", "nodev", "noexec", mp->rw ? "rw" : "ro"};
      opts.insert(opts.end(), mp->tmpfs_options.begin(), mp->tmpfs_options.end());
      mounts.push_back(
          {{"destination", dst}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", opts}});
      continue;
    }
    std::string source = mp->source;
    if (mp->type == MountType::kVolume) {
      BERTH_TRY_ASSIGN(source, volumes_->acquire(mp->name));
      acquired.push_back(mp->name);
      if (mp->copy_data && volumes_->empty(mp->name)) {
        auto inside = resolve_in_root(rootfs, dst);
        if (inside && is_directory(*inside))
          BERTH_TRY_CTX(volume::copy_tree(*inside, source), "copy image content to volume");
      }
    } else if (!path_exists(source)) {
      // -v /host:/ctr creates a missing host directory, as Docker does.
      BERTH_TRY_CTX(make_dirs(source), "create bind source " + source);
    }
    std::string prop = model::to_string(mp->propagation);
    if (prop.empty()) prop = "rprivate";
    mounts.push_back({{"destination", dst},
                      {"type", "bind"},
                      {"source", source},
                      {"options", {"rbind", mp->rw ? "rw" : "ro", prop}}});
  }
  ok = true;
  for (const auto* mp : points)
    if (mp->type == MountType::kVolume)
      publish_actor("volume", "mount", mp->name,
                    {{"driver", mp->driver.empty() ? "local" : mp->driver},
                     {"container", c.id},
                     {"destination", mp->destination},
                     {"read/write", mp->rw ? "true" : "false"},
                     {"propagation", model::to_string(mp->propagation)}});
  return ok_status();
}

void Engine::release_volumes(const Container& c) {
  for (auto& mp : c.mount_points)
    if (mp.type == MountType::kVolume) {
      volumes_->release(mp.name);
      publish_actor("volume", "unmount", mp.name,
                    {{"driver", mp.driver.empty() ? "local" : mp.driver}, {"container", c.id}});
    }
}

std::vector<std::string> Engine::volume_users(const std::string& name) {
  std::vector<std::string> ids;
  for (auto& [id, e] : entries_)
    for (auto& mp : e->c.mount_points)
      if (mp.type == MountType::kVolume && mp.name == name) ids.push_back(id);
  return ids;
}

Result<volume::Volume> Engine::create_volume(const volume::CreateOptions& options) {
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(volume::Volume v, volumes_->create(options));
  publish_actor("volume", "create", v.name, {{"driver", v.driver}});
  return v;
}

Result<volume::Volume> Engine::get_volume(const std::string& name) { return volumes_->get(name); }

Status Engine::remove_volume(const std::string& name, bool force) {
  std::unique_lock lock(mu_);
  auto v = volumes_->get(name);
  if (!v) {
    if (force && v.error().code == Code::kNotFound) return ok_status();
    return std::move(v).error();
  }
  auto users = volume_users(name);
  if (!users.empty())
    return make_error(Code::kConflict,
                      "remove " + name + ": volume is in use - [" + join(users, ", ") + "]");
  BERTH_TRY(volumes_->remove(name));
  publish_actor("volume", "destroy", v->name, {{"driver", v->driver}});
  return ok_status();
}

void Engine::remove_anonymous_volumes(const Container& c) {
  for (auto& mp : c.mount_points) {
    if (mp.type != MountType::kVolume || !mp.anonymous) continue;
    const std::string& name = mp.name;
    if (!volume_users(name).empty()) continue;
    Status st = volumes_->remove(name);
    if (!st)
      log_warn("remove anonymous volume: " + st.error().message);
    else
      publish_actor("volume", "destroy", name,
                    {{"driver", mp.driver.empty() ? "local" : mp.driver}});
  }
}

// moby volume/service/convert.go: drivers exact, names as expressions, labels all of them,
// dangling = used by no container.
Result<model::List<model::Volume>> Engine::list_volumes(const Json& filters) {
  BERTH_TRY_ASSIGN(Filters f, Filters::from_json(filters));
  BERTH_TRY(f.validate({"driver", "label", "name", "dangling"}));
  BERTH_TRY(f.get_bool("dangling", false));
  std::lock_guard lock(mu_);
  model::List<model::Volume> out;
  out.set_empty();
  for (auto& v : volumes_->list()) {
    if (!volume_matches(v, f)) continue;
    out.push_back(volume::volume_view(v));
  }
  return out;
}

bool Engine::volume_matches(const volume::Volume& v, const Filters& f) {
  if (f.contains("dangling") &&
      f.get_bool("dangling", false).value_or(false) != volume_users(v.name).empty())
    return false;
  if (!f.match("name", v.name) || !f.exact_match("driver", v.driver)) return false;
  if (!f.match_kv_list("label", v.labels)) return false;
  if (f.contains("label!") && f.match_kv_list("label!", v.labels)) return false;
  return true;
}

// moby's volume prune: anonymous volumes only unless all=true; label and label! as for the
// other prunes.
Result<model::VolumePruneResponse> Engine::prune_volumes(const Json& filters) {
  BERTH_TRY_ASSIGN(Filters f, Filters::from_json(filters));
  BERTH_TRY(f.validate({"label", "label!", "all"}));
  BERTH_TRY_ASSIGN(bool all, f.get_bool("all", false));
  f.erase("all");
  std::lock_guard lock(mu_);
  model::VolumePruneResponse out;
  out.volumes_deleted.set_empty();
  for (auto& v : volumes_->list()) {
    if (!volume_users(v.name).empty() || (!all && !v.anonymous) || !volume_matches(v, f)) continue;
    if (!volumes_->remove(v.name)) continue;
    out.volumes_deleted.push_back(v.name);
    publish_actor("volume", "destroy", v.name, {{"driver", v.driver}});
  }
  return out;
}

}  // namespace berth::engine
