// Shared by the cgroup v1 and v2 managers; not part of the library's public headers.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "base/unique_fd.h"
#include "runtime/cgroups/cgroup.h"

namespace berth::runtime {

std::unique_ptr<Cgroup> make_cgroup_v1(const std::string& root, const std::string& rel);
std::unique_ptr<Cgroup> make_cgroup_v2(const std::string& root, const std::string& rel);

namespace cgroup_internal {
// Opens with O_CREAT so a temp-dir root works; a real cgroupfs ignores it for existing files.
Status write_value(const std::string& dir, const std::string& file, const std::string& value);
Result<std::vector<pid_t>> read_procs(const std::string& dir);
Status remove_dir(const std::string& dir);
// "key value" lines (memory.stat, cpu.stat, memory.events); missing file = empty.
std::vector<std::pair<std::string, uint64_t>> read_flat_keyed(const std::string& path);
uint64_t keyed_value(const std::vector<std::pair<std::string, uint64_t>>& kv,
                     const std::string& key);
// A single number; "max" and a missing file give 0.
uint64_t read_u64(const std::string& path);
// Waits until `file` under dir reads `want` (freezer states), up to ~2 s.
Status wait_for_value(const std::string& path, const std::string& want);
// The spec's device rules followed by the ones every container gets (runc's AllowedDevices: mknod
// of anything, the standard nodes, ptys): dockerd relies on the runtime adding those.
std::vector<oci::DeviceCgroup> with_default_devices(const std::vector<oci::DeviceCgroup>& rules);
// The v1 device-cgroup rule ("c 1:3 rwm") for one spec entry.
std::string device_rule(const oci::DeviceCgroup& d);
// A v2 hierarchy's cgroup for controllers v1 does not mount (hybrid setups: hugetlb here).
class UnifiedPart {
 public:
  UnifiedPart(std::string root, std::string rel) : root_(std::move(root)), rel_(std::move(rel)) {}
  Status create(const std::vector<std::string>& controllers);
  std::string dir() const { return root_ + rel_; }
  std::vector<std::string> controllers() const;

 private:
  std::string root_, rel_;
};
Status apply_hugetlb_v2(const std::string& dir, const std::vector<oci::HugepageLimit>& limits);
void hugetlb_usage_v2(const std::string& dir, CgroupStats* out);
// cgroup v2 has no devices files: an eBPF program (BPF_CGROUP_DEVICE) decides.  The rules are
// evaluated like v1's list, the last matching rule wins, default deny.  A temp-dir root (not a
// cgroup2 mount) is skipped, so unit tests need no BPF.
Status attach_device_filter(const std::string& dir, const std::vector<oci::DeviceCgroup>& rules);
}  // namespace cgroup_internal

}  // namespace berth::runtime
