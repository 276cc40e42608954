// Cgroup managers for v1 (one dir per mounted hierarchy) and v2 (one dir), behind one interface
// because the kernel offers two.  The cgroup root is a parameter so tests point it at a temp dir
// and assert the files written.  Not thread-safe; one manager per container.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "oci/spec.h"

namespace berth::runtime {

enum class CgroupVersion { kAuto, kV1, kV2 };

class Cgroup {
 public:
  virtual ~Cgroup() = default;
  // Creates the container's dir(s) (mkdir -p).
  virtual Status create() = 0;
  virtual Status apply(const oci::Resources& resources) = 0;
  virtual Status add(pid_t pid) = 0;
  virtual Result<std::vector<pid_t>> pids() = 0;
  virtual bool oom_killed() = 0;
  // rmdir of the leaf dir(s), retried while the kernel still lists exiting tasks; a missing dir
  // is fine.
  virtual Status destroy() = 0;
  // The dirs this manager writes (for tests and messages).
  virtual std::vector<std::string> dirs() const = 0;
};

// `cgroups_path` as in linux.cgroupsPath ("/berth/abc"); always taken below `root`.
// kAuto: cgroup2 when `root` is a cgroup2 mount, else v1 with one controller per subdirectory
// of `root` (symlinks such as cpu -> cpu,cpuacct are skipped; "unified" is joined like one).
Result<std::unique_ptr<Cgroup>> open_cgroup(const std::string& root,
                                            const std::string& cgroups_path,
                                            CgroupVersion version = CgroupVersion::kAuto);

// The cgroupsPath used when the spec names none.
std::string default_cgroups_path(const std::string& id);

// v1 cpu.shares -> v2 cpu.weight, the conversion runc and crun use.
uint64_t shares_to_weight(uint64_t shares);

}  // namespace berth::runtime
