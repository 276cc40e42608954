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

// What `docker stats` needs, read in one call from whichever hierarchy holds it.  Zero when the
// controller is absent; limits of 0 mean "no limit".
struct CgroupStats {
  uint64_t cpu_usage_ns = 0, cpu_user_ns = 0, cpu_system_ns = 0;
  uint64_t cpu_periods = 0, cpu_throttled_periods = 0, cpu_throttled_ns = 0;
  std::vector<uint64_t> percpu_usage_ns;  // v1 only
  uint64_t memory_usage = 0, memory_max_usage = 0, memory_limit = 0, memory_failcnt = 0;
  uint64_t swap_usage = 0, oom_kills = 0;
  std::vector<std::pair<std::string, uint64_t>> memory_stat;  // memory.stat as the kernel gives it
  uint64_t pids_current = 0, pids_limit = 0;
  uint64_t io_read_bytes = 0, io_write_bytes = 0, io_read_ops = 0, io_write_ops = 0;
  std::vector<std::pair<std::string, uint64_t>> hugetlb_usage;  // page size ("2MB") -> bytes
};

class Cgroup {
 public:
  virtual ~Cgroup() = default;
  // Creates the container's dir(s) (mkdir -p).
  virtual Status create() = 0;
  virtual Status apply(const oci::Resources& resources) = 0;
  virtual Status add(pid_t pid) = 0;
  virtual Result<std::vector<pid_t>> pids() = 0;
  virtual bool oom_killed() = 0;
  // Freezes (pause) or thaws (resume) every process, waiting until the kernel reports the state.
  virtual Status freeze(bool frozen) = 0;
  virtual bool frozen() = 0;
  virtual Result<CgroupStats> stats() = 0;
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
// blkio.weight (10-1000) -> io.weight (1-10000), as crun converts it.
uint64_t blkio_to_io_weight(uint64_t weight);
// "2MB" for 2097152-byte pages: the name cgroup files use (hugetlb.2MB.limit_in_bytes).
std::string hugepage_size_name(uint64_t bytes);

}  // namespace berth::runtime
