// cgroup v2: one dir; controllers are enabled in each ancestor's cgroup.subtree_control.
#include <sys/stat.h>

#include "runtime/cgroups/cgroup_internal.h"

namespace berth::runtime {
namespace {

using namespace cgroup_internal;

class CgroupV2 final : public Cgroup {
 public:
  CgroupV2(std::string root, std::string rel)
      : root_(std::move(root)), dir_(root_ + rel), rel_(std::move(rel)) {}

  Status create() override {
    return UnifiedPart(root_, rel_)
        .create({"memory", "pids", "cpu", "cpuset", "io", "hugetlb", "misc"});
  }

  Status apply(const oci::Resources& r) override {
    if (r.memory) {
      if (r.memory->limit)
        BERTH_TRY(write_value(dir_, "memory.max",
                              *r.memory->limit > 0 ? std::to_string(*r.memory->limit) : "max"));
      if (r.memory->reservation)
        BERTH_TRY(write_value(dir_, "memory.low", std::to_string(*r.memory->reservation)));
      if (r.memory->swap && r.memory->limit) {
        // v1's memsw counts memory+swap; v2's swap.max counts swap alone.
        int64_t swap = *r.memory->swap < 0 ? -1 : *r.memory->swap - *r.memory->limit;
        BERTH_TRY(write_value(dir_, "memory.swap.max", swap < 0 ? "max" : std::to_string(swap)));
      }
    }
    if (r.pids && r.pids->limit != 0)
      BERTH_TRY(
          write_value(dir_, "pids.max", r.pids->limit > 0 ? std::to_string(r.pids->limit) : "max"));
    if (r.cpu) {
      if (r.cpu->shares)
        BERTH_TRY(
            write_value(dir_, "cpu.weight", std::to_string(shares_to_weight(*r.cpu->shares))));
      if (r.cpu->quota || r.cpu->period) {
        uint64_t period = r.cpu->period.value_or(100000);
        std::string quota =
            r.cpu->quota && *r.cpu->quota > 0 ? std::to_string(*r.cpu->quota) : "max";
        BERTH_TRY(write_value(dir_, "cpu.max", quota + " " + std::to_string(period)));
      }
      if (!r.cpu->cpus.empty()) BERTH_TRY(write_value(dir_, "cpuset.cpus", r.cpu->cpus));
      if (!r.cpu->mems.empty()) BERTH_TRY(write_value(dir_, "cpuset.mems", r.cpu->mems));
    }
    if (r.block_io) BERTH_TRY(apply_io(*r.block_io));
    if (!r.hugepage_limits.empty()) BERTH_TRY(apply_hugetlb_v2(dir_, r.hugepage_limits));
    if (!r.devices.empty()) BERTH_TRY(attach_device_filter(dir_, with_default_devices(r.devices)));
    for (auto& [k, v] : r.unified) BERTH_TRY(write_value(dir_, k, v));
    return ok_status();
  }

  Status add(pid_t pid) override { return write_value(dir_, "cgroup.procs", std::to_string(pid)); }
  Result<std::vector<pid_t>> pids() override { return read_procs(dir_); }

  bool oom_killed() override {
    auto text = read_file(dir_ + "/memory.events");
    if (!text) return false;
    for (auto& line : split(*text, '\n')) {
      auto f = split(line, ' ');
      long long v = 0;
      if (f.size() == 2 && f[0] == "oom_kill" && parse_int64(f[1], &v)) return v > 0;
    }
    return false;
  }

  Status freeze(bool frozen) override {
    BERTH_TRY(write_value(dir_, "cgroup.freeze", frozen ? "1" : "0"));
    return wait_for_value(dir_ + "/cgroup.events", frozen ? "frozen 1" : "frozen 0");
  }

  bool frozen() override {
    return keyed_value(read_flat_keyed(dir_ + "/cgroup.events"), "frozen") == 1;
  }

  Result<CgroupStats> stats() override {
    CgroupStats st;
    auto cpu = read_flat_keyed(dir_ + "/cpu.stat");
    st.cpu_usage_ns = keyed_value(cpu, "usage_usec") * 1000;
    st.cpu_user_ns = keyed_value(cpu, "user_usec") * 1000;
    st.cpu_system_ns = keyed_value(cpu, "system_usec") * 1000;
    st.cpu_periods = keyed_value(cpu, "nr_periods");
    st.cpu_throttled_periods = keyed_value(cpu, "nr_throttled");
    st.cpu_throttled_ns = keyed_value(cpu, "throttled_usec") * 1000;
    st.memory_usage = read_u64(dir_ + "/memory.current");
    st.memory_max_usage = read_u64(dir_ + "/memory.peak");
    st.memory_limit = read_u64(dir_ + "/memory.max");
    st.swap_usage = read_u64(dir_ + "/memory.swap.current");
    auto events = read_flat_keyed(dir_ + "/memory.events");
    st.memory_failcnt = keyed_value(events, "max");
    st.oom_kills = keyed_value(events, "oom_kill");
    st.memory_stat = read_flat_keyed(dir_ + "/memory.stat");
    st.pids_current = read_u64(dir_ + "/pids.current");
    st.pids_limit = read_u64(dir_ + "/pids.max");
    if (auto text = read_file(dir_ + "/io.stat")) {
      for (auto& line : split(*text, '\n')) {
        for (auto& field : split(line, ' ')) {
          auto eq = field.find('=');
          long long v = 0;
          if (eq == std::string::npos || !parse_int64(field.substr(eq + 1), &v)) continue;
          std::string k = field.substr(0, eq);
          if (k == "rbytes") st.io_read_bytes += v;
          if (k == "wbytes") st.io_write_bytes += v;
          if (k == "rios") st.io_read_ops += v;
          if (k == "wios") st.io_write_ops += v;
        }
      }
    }
    hugetlb_usage_v2(dir_, &st);
    return st;
  }

  Status destroy() override { return remove_dir(dir_); }
  std::vector<std::string> dirs() const override { return {dir_}; }

 private:
  Status apply_io(const oci::BlockIo& b) {
    // io.weight needs the bfq-less "default N" syntax; with bfq the file is io.bfq.weight.
    if (b.weight && *b.weight) {
      if (path_exists(dir_ + "/io.bfq.weight"))
        BERTH_TRY(write_value(dir_, "io.bfq.weight", std::to_string(*b.weight)));
      else
        BERTH_TRY(write_value(dir_, "io.weight",
                              "default " + std::to_string(blkio_to_io_weight(*b.weight))));
    }
    auto throttle = [&](const char* key, const std::vector<oci::ThrottleDevice>& v) -> Status {
      for (auto& d : v)
        BERTH_TRY(write_value(dir_, "io.max",
                              std::to_string(d.major) + ":" + std::to_string(d.minor) + " " + key +
                                  "=" + std::to_string(d.rate)));
      return ok_status();
    };
    BERTH_TRY(throttle("rbps", b.throttle_read_bps));
    BERTH_TRY(throttle("wbps", b.throttle_write_bps));
    BERTH_TRY(throttle("riops", b.throttle_read_iops));
    BERTH_TRY(throttle("wiops", b.throttle_write_iops));
    return ok_status();
  }

  std::string root_, dir_, rel_;
};

}  // namespace

std::unique_ptr<Cgroup> make_cgroup_v2(const std::string& root, const std::string& rel) {
  return std::make_unique<CgroupV2>(root, rel);
}

}  // namespace berth::runtime
