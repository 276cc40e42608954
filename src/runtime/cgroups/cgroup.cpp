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

}  // namespace cgroup_internal
}  // namespace berth::runtime
