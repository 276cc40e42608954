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

namespace berth::engine {

namespace {
bool is_propagation(const std::string& m) {
  return m == "shared" || m == "rshared" || m == "slave" || m == "rslave" || m == "private" ||
         m == "rprivate";
}

Json mount_point(const std::string& type, const std::string& name, const std::string& source,
                 const std::string& dest, const std::string& mode, bool rw,
                 const std::string& propagation) {
  return Json{{"Type", type},
              {"Name", name},
              {"Source", source},
              {"Destination", dest},
              {"Driver", type == "volume" ? "local" : ""},
              {"Mode", mode},
              {"RW", rw},
              {"Propagation", propagation}};
}

// A filter's values: Docker sends {"key": {"v": true}} or {"key": ["v"]}.
std::vector<std::string> filter_values(const Json& filters, const char* key) {
  std::vector<std::string> out;
  if (!filters.is_object() || !filters.contains(key)) return out;
  const Json& f = filters[key];
  if (f.is_array()) {
    for (auto& v : f)
      if (v.is_string()) out.push_back(v);
  } else if (f.is_object()) {
    for (auto& [k, v] : f.items()) out.push_back(k);
  }
  return out;
}

std::map<std::string, std::string> string_map(const Json& j) {
  std::map<std::string, std::string> out;
  if (j.is_object())
    for (auto& [k, v] : j.items())
      if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

// "-v src:dst[:opts]" (moby volumes/mounts/parser_linux.go).
Result<Json> parse_bind(const std::string& spec) {
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
  std::string propagation = src[0] == '/' ? "rprivate" : "";
  for (auto& m : split(mode, ',')) {
    if (m.empty() || m == "rw" || m == "z" || m == "Z") continue;
    if (m == "ro")
      rw = false;
    else if (m == "nocopy")
      copy = false;
    else if (is_propagation(m))
      propagation = m;
    else
      return make_error(Code::kInvalidArgument, "invalid mode: " + mode);
  }
  bool bind = src[0] == '/';
  Json mp = mount_point(bind ? "bind" : "volume", bind ? "" : src, bind ? clean_path(src) : "", dst,
                        mode.empty() && !bind ? "z" : mode, rw, propagation);
  mp["CopyData"] = copy;
  return mp;
}

// HostConfig.Mounts entry (--mount).
Result<Json> parse_mount(const Json& m) {
  std::string type = json_string(m, "Type"), src = json_string(m, "Source");
  std::string dst = json_string(m, "Target");
  bool ro = m.value("ReadOnly", false);
  auto bad = [&](const std::string& why) {
    return make_error(Code::kInvalidArgument,
                      "invalid mount config for type \"" + type + "\": " + why);
  };
  if (dst.empty()) return bad("field Target must not be empty");
  if (dst[0] != '/') return bad("invalid mount path: '" + dst + "' mount path must be absolute");
  dst = clean_path(dst);
  if (type == "bind") {
    if (src.empty()) return bad("field Source must not be empty");
    std::string prop = "rprivate";
    if (m.contains("BindOptions") && m["BindOptions"].is_object())
      prop = json_string(m["BindOptions"], "Propagation", "rprivate");
    bool create = m.contains("BindOptions") && m["BindOptions"].is_object() &&
                  m["BindOptions"].value("CreateMountpoint", false);
    if (!path_exists(src) && !create) return bad("bind source path does not exist: " + src);
    Json mp = mount_point("bind", "", clean_path(src), dst, "", !ro, prop);
    if (create) mp["Create"] = true;
    return mp;
  }
  if (type == "volume") {
    Json mp = mount_point("volume", src, "", dst, "z", !ro, "");
    Json vo = m.value("VolumeOptions", Json::object());
    if (!vo.is_object()) vo = Json::object();
    mp["CopyData"] = !vo.value("NoCopy", false);
    mp["Labels"] = vo.value("Labels", Json::object());
    if (vo.contains("DriverConfig") && vo["DriverConfig"].is_object())
      mp["VolumeOptions"] = vo["DriverConfig"].value("Options", Json::object());
    return mp;
  }
  if (type == "tmpfs") {
    if (!src.empty()) return bad("field Source must not be specified");
    Json mp = mount_point("tmpfs", "", "", dst, "", !ro, "");
    std::vector<std::string> opts;
    Json to = m.value("TmpfsOptions", Json::object());
    if (to.is_object()) {
      if (to.value("SizeBytes", int64_t{0}) > 0)
        opts.push_back("size=" + std::to_string(to["SizeBytes"].get<int64_t>()));
      if (to.value("Mode", 0) > 0) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "mode=%o", to["Mode"].get<int>());
        opts.push_back(buf);
      }
    }
    mp["TmpfsOptions"] = opts;
    return mp;
  }
  return make_error(Code::kInvalidArgument, "mount type unknown: \"" + type + "\"");
}
}  // namespace

Status Engine::resolve_mounts(Container& c, const std::vector<std::string>& image_volumes) {
  Json points = Json::array();
  std::map<std::string, size_t> by_dest;
  auto add = [&](Json mp, bool user) -> Status {
    std::string dst = mp["Destination"];
    if (by_dest.count(dst)) {
      if (!user) return ok_status();  // the user's mount wins over the image's VOLUME
      return make_error(Code::kInvalidArgument, "Duplicate mount point: " + dst);
    }
    by_dest[dst] = points.size();
    points.push_back(std::move(mp));
    return ok_status();
  };
  const Json& hc = c.host_config;
  for (auto& b : json_strings(hc, "Binds")) {
    BERTH_TRY_ASSIGN(Json mp, parse_bind(b));
    BERTH_TRY(add(std::move(mp), true));
  }
  for (auto& m : hc.value("Mounts", Json::array())) {
    BERTH_TRY_ASSIGN(Json mp, parse_mount(m));
    BERTH_TRY(add(std::move(mp), true));
  }
  // --volumes-from other[:ro|rw]: its mount points, with the mode given.
  for (auto& from : json_strings(hc, "VolumesFrom")) {
    std::string ref = from.substr(0, from.find(':'));
    std::string mode = from.find(':') == std::string::npos ? "" : from.substr(from.find(':') + 1);
    BERTH_TRY_ASSIGN(auto other, find(ref));
    for (auto mp : other->c.mount_points) {
      if (mode == "ro") mp["RW"] = false;
      if (mode == "rw") mp["RW"] = true;
      mp["CopyData"] = false;
      BERTH_TRY(add(std::move(mp), true));
    }
  }
  // Anonymous volumes: `-v /path` (Config.Volumes) and the image's VOLUMEs.
  std::vector<std::string> anon = image_volumes;
  if (c.config.contains("Volumes") && c.config["Volumes"].is_object())
    for (auto& [path, _] : c.config["Volumes"].items()) anon.push_back(path);
  for (auto& path : anon) {
    Json mp = mount_point("volume", "", "", clean_path(path), "", true, "");
    mp["CopyData"] = true;
    BERTH_TRY(add(std::move(mp), false));
  }
  // Create the volumes now (Docker does at create), anonymous ones with a random name.
  for (auto& mp : points) {
    if (mp["Type"] != "volume") continue;
    volume::CreateOptions o;
    o.name = mp["Name"];
    o.options = string_map(mp.value("VolumeOptions", Json::object()));
    o.labels = string_map(mp.value("Labels", Json::object()));
    bool existed = !o.name.empty() && volumes_->get(o.name).ok();
    BERTH_TRY_ASSIGN(volume::Volume v, volumes_->create(o));
    if (!existed) publish_actor("volume", "create", v.name, {{"driver", v.driver}});
    mp["Name"] = v.name;
    mp["Source"] = v.mountpoint;
    mp.erase("VolumeOptions");
    mp.erase("Labels");
    if (v.anonymous) mp["Anonymous"] = true;
  }
  c.mount_points = points;
  return ok_status();
}

Status Engine::mount_volumes(const Container& c, const std::string& rootfs, Json& spec) {
  // Parents before children, so /a/b lands on /a's mount.
  std::vector<Json> points(c.mount_points.begin(), c.mount_points.end());
  std::stable_sort(points.begin(), points.end(), [](const Json& a, const Json& b) {
    return a["Destination"].get<std::string>().size() < b["Destination"].get<std::string>().size();
  });
  std::vector<std::string> acquired;
  bool ok = false;
  ScopeExit undo([&] {
    if (!ok)
      for (auto& n : acquired) volumes_->release(n);
  });
  for (auto& mp : points) {
    std::string type = mp["Type"], dst = mp["Destination"];
    auto& mounts = spec["mounts"];
    for (auto it = mounts.begin(); it != mounts.end();)
      it = (*it)["destination"] == dst ? mounts.erase(it) : it + 1;
    if (type == "tmpfs") {
      std::vector<std::string> opts = {"nosuid", "nodev", "noexec", mp["RW"] ? "rw" : "ro"};
      for (auto& o : mp.value("TmpfsOptions", Json::array())) opts.push_back(o);
      mounts.push_back(
          {{"destination", dst}, {"type", "tmpfs"}, {"source", "tmpfs"}, {"options", opts}});
      continue;
    }
    std::string source = mp["Source"];
    if (type == "volume") {
      BERTH_TRY_ASSIGN(source, volumes_->acquire(mp["Name"]));
      acquired.push_back(mp["Name"]);
      if (mp.value("CopyData", false) && volumes_->empty(mp["Name"])) {
        auto inside = resolve_in_root(rootfs, dst);
        if (inside && is_directory(*inside))
          BERTH_TRY_CTX(volume::copy_tree(*inside, source), "copy image content to volume");
      }
    } else if (!path_exists(source)) {
      // -v /host:/ctr creates a missing host directory, as Docker does.
      BERTH_TRY_CTX(make_dirs(source), "create bind source " + source);
    }
    std::string prop = json_string(mp, "Propagation");
    if (prop.empty()) prop = "rprivate";
    mounts.push_back({{"destination", dst},
                      {"type", "bind"},
                      {"source", source},
                      {"options", {"rbind", mp["RW"] ? "rw" : "ro", prop}}});
  }
  ok = true;
  for (auto& mp : points)
    if (mp["Type"] == "volume")
      publish_actor("volume", "mount", mp["Name"],
                    {{"driver", json_string(mp, "Driver", "local")},
                     {"container", c.id},
                     {"destination", mp["Destination"]},
                     {"read/write", mp.value("RW", true) ? "true" : "false"},
                     {"propagation", json_string(mp, "Propagation")}});
  return ok_status();
}

void Engine::release_volumes(const Container& c) {
  for (auto& mp : c.mount_points)
    if (mp["Type"] == "volume") {
      volumes_->release(mp["Name"]);
      publish_actor("volume", "unmount", mp["Name"],
                    {{"driver", json_string(mp, "Driver", "local")}, {"container", c.id}});
    }
}

std::vector<std::string> Engine::volume_users(const std::string& name) {
  std::vector<std::string> ids;
  for (auto& [id, e] : entries_)
    for (auto& mp : e->c.mount_points)
      if (mp["Type"] == "volume" && mp["Name"] == name) ids.push_back(id);
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
    if (mp["Type"] != "volume" || !mp.value("Anonymous", false)) continue;
    std::string name = mp["Name"];
    if (!volume_users(name).empty()) continue;
    Status st = volumes_->remove(name);
    if (!st)
      log_warn("remove anonymous volume: " + st.error().message);
    else
      publish_actor("volume", "destroy", name, {{"driver", json_string(mp, "Driver", "local")}});
  }
}

Result<model::List<model::Volume>> Engine::list_volumes(const Json& filters) {
  std::lock_guard lock(mu_);
  model::List<model::Volume> out;
  out.set_empty();
  for (auto& v : volumes_->list()) {
    if (!volume_matches(v, filters)) continue;
    out.push_back(volume::volume_view(v));
  }
  return out;
}

bool Engine::volume_matches(const volume::Volume& v, const Json& filters) {
  if (!filters.is_object()) return true;
  auto values = [&](const char* key) { return filter_values(filters, key); };
  for (auto& d : values("dangling")) {
    bool dangling = volume_users(v.name).empty();
    if ((d == "true" || d == "1") != dangling) return false;
  }
  auto names = values("name");
  if (!names.empty() && std::none_of(names.begin(), names.end(), [&](const std::string& n) {
        return v.name.find(n) != std::string::npos;
      }))
    return false;
  for (auto& d : values("driver"))
    if (d != v.driver) return false;
  for (auto& l : values("label")) {
    auto eq = l.find('=');
    std::string key = l.substr(0, eq);
    auto it = v.labels.find(key);
    if (it == v.labels.end()) return false;
    if (eq != std::string::npos && it->second != l.substr(eq + 1)) return false;
  }
  for (auto& l : values("label!")) {
    auto eq = l.find('=');
    auto it = v.labels.find(l.substr(0, eq));
    if (it != v.labels.end() && (eq == std::string::npos || it->second == l.substr(eq + 1)))
      return false;
  }
  return true;
}

Result<model::VolumePruneResponse> Engine::prune_volumes(const Json& filters) {
  std::lock_guard lock(mu_);
  bool all = false;
  Json f = filters.is_object() ? filters : Json::object();
  for (auto& a : filter_values(f, "all")) all = a == "true" || a == "1";
  f.erase("all");
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
