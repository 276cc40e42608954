// Version detection and the helpers both managers share.
#include "runtime/cgroups/cgroup.h"

#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "base/path.h"
#include "runtime/cgroups/cgroup_internal.h"

namespace berth::runtime {

std::string default_cgroups_path(const std::string& id) { return "/berth/" + id; }

uint64_t shares_to_weight(uint64_t shares) {
  if (shares == 0) return 0;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t blkio_to_io_weight(uint64_t weight) {
  if (weight == 0) return 0;
  return 1 + (weight - 10) * 9999 / 990;
}

std::string hugepage_size_name(uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1024 && bytes % 1024 == 0 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  return std::to_string(bytes) + units[u];
}

Result<std::unique_ptr<Cgroup>> open_cgroup(const std::string& root,
                                            const std::string& cgroups_path,
                                            CgroupVersion version) {
  // cgroupsPath may be systemd's "slice:prefix:name"; we have no systemd, so use it as a name.
  std::string rel = cgroups_path;
  for (auto& c : rel)
    if (c == ':') c = '-';
  rel = clean_path("/" + rel);
  if (rel == "/") return make_error(Code::kInvalidArgument, "cgroupsPath is the cgroup root");
  if (version == CgroupVersion::kAuto) {
    struct statfs fs {};
    if (::statfs(root.c_str(), &fs) != 0) return sys_error("statfs " + root);
    version = fs.f_type == CGROUP2_SUPER_MAGIC ? CgroupVersion::kV2 : CgroupVersion::kV1;
  }
  if (version == CgroupVersion::kV2) return make_cgroup_v2(root, rel);
  return make_cgroup_v1(root, rel);
}

namespace cgroup_internal {

Status write_value(const std::string& dir, const std::string& file, const std::string& value) {
  std::string path = dir + "/" + file;
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) return sys_error("open " + path);
  if (::write(fd.get(), value.data(), value.size()) < 0)
    return sys_error("write " + value + " to " + path);
  return ok_status();
}

Result<std::vector<pid_t>> read_procs(const std::string& dir) {
  BERTH_TRY_ASSIGN(std::string text, read_file(dir + "/cgroup.procs"));
  std::vector<pid_t> out;
  for (auto& line : split(text, '\n')) {
    long long v = 0;
    if (parse_int64(trim(line), &v) && v > 0) out.push_back(static_cast<pid_t>(v));
  }
  return out;
}

Status remove_dir(const std::string& dir) {
  // rmdir fails with EBUSY while killed tasks are still leaving the cgroup: retry for ~2 s.
  for (int i = 0; i < 200; ++i) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return ok_status();
    if (errno != EBUSY) break;
    ::usleep(10000);
  }
  // A test root is a plain directory with regular files in it: clear those and retry.
  if (errno == ENOTEMPTY) {
    BERTH_TRY(remove_all(dir));
    return ok_status();
  }
  return sys_error("remove cgroup " + dir);
}

std::vector<std::pair<std::string, uint64_t>> read_flat_keyed(const std::string& path) {
  std::vector<std::pair<std::string, uint64_t>> out;
  auto text = read_file(path);
  if (!text) return out;
  for (auto& line : split(*text, '\n')) {
    auto sp = line.find(' ');
    if (sp == std::string::npos) continue;
    long long v = 0;
    if (parse_int64(trim(line.substr(sp + 1)), &v)) out.emplace_back(line.substr(0, sp), v);
  }
  return out;
}

uint64_t keyed_value(const std::vector<std::pair<std::string, uint64_t>>& kv,
                     const std::string& key) {
  for (auto& [k, v] : kv)
    if (k == key) return v;
  return 0;
}

uint64_t read_u64(const std::string& path) {
  auto text = read_file(path);
  long long v = 0;
  if (!text || !parse_int64(trim(*text), &v) || v < 0) return 0;
  return static_cast<uint64_t>(v);
}

Status wait_for_value(const std::string& path, const std::string& want) {
  for (int i = 0; i < 2000; ++i) {
    auto text = read_file(path);
    if (!text) return std::move(text).error();
    if (trim(*text) == want || text->find(want + "\n") != std::string::npos) return ok_status();
    ::usleep(1000);
  }
  return make_error(Code::kUnavailable, path + " did not become " + want);
}

std::vector<oci::DeviceCgroup> with_default_devices(const std::vector<oci::DeviceCgroup>& rules) {
  std::vector<oci::DeviceCgroup> out = rules;
  auto add = [&](const char* type, int64_t major, int64_t minor, const char* access) {
    oci::DeviceCgroup d;
    d.allow = true;
    d.type = type;
    if (major >= 0) d.major = major;
    if (minor >= 0) d.minor = minor;
    d.access = access;
    out.push_back(d);
  };
  add("c", -1, -1, "m");
  add("b", -1, -1, "m");
  for (int minor : {3, 5, 7, 8, 9}) add("c", 1, minor, "rwm");  // null zero full random urandom
  add("c", 5, 0, "rwm");                                        // tty
  add("c", 5, 1, "rwm");                                        // console
  add("c", 5, 2, "rwm");                                        // ptmx
  add("c", 136, -1, "rwm");                                     // pts
  add("c", 10, 200, "rwm");                                     // tun
  return out;
}

std::string device_rule(const oci::DeviceCgroup& d) {
  std::string type = d.type.empty() ? "a" : d.type;
  if (type == "a") return "a";
  std::string major = d.major && *d.major >= 0 ? std::to_string(*d.major) : "*";
  std::string minor = d.minor && *d.minor >= 0 ? std::to_string(*d.minor) : "*";
  return type + " " + major + ":" + minor + " " + (d.access.empty() ? "rwm" : d.access);
}

std::vector<std::string> UnifiedPart::controllers() const {
  auto text = read_file(root_ + "/cgroup.controllers");
  if (!text) return {};
  return split(trim(*text), ' ');
}

Status UnifiedPart::create(const std::vector<std::string>& controllers) {
  std::string dir = root_;
  for (auto& part : split(rel_, '/')) {
    if (part.empty()) continue;
    // Enable what the parent offers; a missing controller is not an error (limits using it
    // fail later with a message naming the file).
    auto avail = read_file(dir + "/cgroup.controllers");
    if (avail) {
      for (auto& c : split(trim(*avail), ' ')) {
        for (auto& want : controllers)
          if (c == want) (void)write_value(dir, "cgroup.subtree_control", "+" + c);
      }
    }
    dir += "/" + part;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
      return sys_error("create cgroup " + dir);
  }
  return ok_status();
}

Status apply_hugetlb_v2(const std::string& dir, const std::vector<oci::HugepageLimit>& limits) {
  for (auto& h : limits)
    BERTH_TRY(write_value(dir, "hugetlb." + h.page_size + ".max", std::to_string(h.limit)));
  return ok_status();
}

void hugetlb_usage_v2(const std::string& dir, CgroupStats* out) {
  auto names = list_dir(dir);
  if (!names) return;
  for (auto& n : *names) {
    // hugetlb.2MB.current
    if (n.rfind("hugetlb.", 0) != 0 || n.size() < 16 || n.substr(n.size() - 8) != ".current")
      continue;
    out->hugetlb_usage.emplace_back(n.substr(8, n.size() - 16), read_u64(dir + "/" + n));
  }
}

}  // namespace cgroup_internal
}  // namespace berth::runtime
