#include <sys/mount.h>

#include "base/file.h"
#include "base/log.h"
#include "base/random_id.h"
#include "base/strings.h"
#include "base/time.h"
#include "volume/volume.h"

namespace berth::volume {

namespace {
bool valid_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (!first && (c == '_' || c == '.' || c == '-'));
}

// The local driver's mount: `o` splits into flags the kernel takes as bits and the rest as data.
Status mount_options(const Volume& v) {
  auto type = v.options.find("type");
  if (type == v.options.end()) return ok_status();
  std::string device = v.options.count("device") ? v.options.at("device") : "";
  std::string o = v.options.count("o") ? v.options.at("o") : "";
  unsigned long flags = 0;
  std::vector<std::string> data;
  for (auto& opt : split(o, ',')) {
    if (opt.empty()) continue;
    if (opt == "bind")
      flags |= MS_BIND;
    else if (opt == "rbind")
      flags |= MS_BIND | MS_REC;
    else if (opt == "ro")
      flags |= MS_RDONLY;
    else if (opt == "nosuid")
      flags |= MS_NOSUID;
    else if (opt == "nodev")
      flags |= MS_NODEV;
    else if (opt == "noexec")
      flags |= MS_NOEXEC;
    else
      data.push_back(opt);
  }
  std::string fstype = type->second == "none" ? "" : type->second;
  std::string joined = join(data, ",");
  if (::mount(device.c_str(), v.mountpoint.c_str(), fstype.empty() ? nullptr : fstype.c_str(),
              flags, joined.empty() ? nullptr : joined.c_str()) != 0)
    return sys_error("mount " + device + " on " + v.mountpoint);
  return ok_status();
}
}  // namespace

Status validate_name(const std::string& name) {
  bool ok = name.size() >= 2;
  for (size_t i = 0; ok && i < name.size(); ++i) ok = valid_char(name[i], i == 0);
  if (!ok)
    return make_error(Code::kInvalidArgument,
                      "create " + name + ": \"" + name +
                          "\" includes invalid characters for a local volume name, only "
                          "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a "
                          "host directory, use absolute path");
  return ok_status();
}

Result<std::unique_ptr<VolumeStore>> VolumeStore::open(store::Db& db, const std::string& root) {
  BERTH_TRY_CTX(make_dirs(root, 0701), "open volumes");
  return std::unique_ptr<VolumeStore>(new VolumeStore(db, root));
}

Result<Volume> VolumeStore::create(const CreateOptions& options) {
  std::lock_guard lock(mu_);
  Volume v;
  v.anonymous = options.name.empty();
  v.name = v.anonymous ? random_hex_id() : options.name;
  BERTH_TRY(validate_name(v.name));
  if (!options.driver.empty() && options.driver != "local")
    return make_error(Code::kNotFound, "error looking up volume plugin " + options.driver +
                                           ": plugin \"" + options.driver + "\" not found");
  if (auto text = db_.get(store::Table::kVolumes, v.name); text) return volume_from_record(*text);
  for (auto& [k, val] : options.options) {
    if (k != "type" && k != "o" && k != "device" && k != "size")
      return make_error(Code::kInvalidArgument,
                        "create " + v.name + ": invalid option key: \"" + k + "\"");
  }
  if (options.options.count("type") && !options.options.count("device") &&
      options.options.at("type") != "tmpfs")
    return make_error(Code::kInvalidArgument,
                      "create " + v.name + ": missing required option: \"device\"");
  v.mountpoint = root_ + "/" + v.name + "/_data";
  v.created = now_nanos();
  v.labels = options.labels;
  v.options = options.options;
  BERTH_TRY_CTX(make_dirs(v.mountpoint, 0755), "create " + v.name);
  Status st = db_.put(store::Table::kVolumes, v.name, volume_to_record(v));
  if (!st) {
    (void)remove_all(root_ + "/" + v.name);
    return std::move(st).error().context("create " + v.name);
  }
  return v;
}

Result<Volume> VolumeStore::get(const std::string& name) {
  auto text = db_.get(store::Table::kVolumes, name);
  if (!text) {
    if (text.error().code == Code::kNotFound)
      return make_error(Code::kNotFound, "get " + name + ": no such volume");
    return std::move(text).error();
  }
  return volume_from_record(*text);
}

std::vector<Volume> VolumeStore::list() {
  std::vector<Volume> out;
  auto rows = db_.list(store::Table::kVolumes);
  if (!rows) return out;
  for (auto& [name, text] : *rows) {
    auto v = volume_from_record(text);
    if (v) out.push_back(std::move(*v));
  }
  return out;
}

Status VolumeStore::remove(const std::string& name) {
  BERTH_TRY_ASSIGN(Volume v, get(name));
  std::lock_guard lock(mu_);
  if (refs_.count(name)) {
    (void)::umount2(v.mountpoint.c_str(), MNT_DETACH);
    refs_.erase(name);
  }
  BERTH_TRY_CTX(db_.remove(store::Table::kVolumes, name), "remove " + name);
  Status st = remove_all(root_ + "/" + name);
  if (!st) log_warn("remove volume data: " + st.error().message);
  return ok_status();
}

Result<std::string> VolumeStore::acquire(const std::string& name) {
  BERTH_TRY_ASSIGN(Volume v, get(name));
  std::lock_guard lock(mu_);
  if (!v.options.count("type")) return v.mountpoint;
  if (refs_[name]++ == 0) {
    Status st = mount_options(v);
    if (!st) {
      refs_.erase(name);
      return std::move(st).error().context("error while mounting volume '" + v.mountpoint + "'");
    }
  }
  return v.mountpoint;
}

void VolumeStore::release(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = refs_.find(name);
  if (it == refs_.end()) return;
  if (--it->second > 0) return;
  refs_.erase(it);
  auto text = db_.get(store::Table::kVolumes, name);
  if (!text) return;
  auto v = volume_from_record(*text);
  if (v && ::umount2(v->mountpoint.c_str(), MNT_DETACH) != 0)
    log_warn(sys_error("unmount volume " + name).message);
}

bool VolumeStore::empty(const std::string& name) {
  auto v = get(name);
  if (!v) return false;
  auto entries = list_dir(v->mountpoint);
  return entries && entries->empty();
}

}  // namespace berth::volume
