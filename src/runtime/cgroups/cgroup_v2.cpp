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
    std::string dir = root_;
    for (auto& part : split(rel_, '/')) {
      if (part.empty()) continue;
      // Enable what the parent offers; a missing controller is not an error (limits using it
      // fail later with a message naming the file).
      auto avail = read_file(dir + "/cgroup.controllers");
      if (avail) {
        for (auto& c : split(trim(*avail), ' ')) {
          if (c == "memory" || c == "pids" || c == "cpu" || c == "cpuset" || c == "io")
            (void)write_value(dir, "cgroup.subtree_control", "+" + c);
        }
      }
      dir += "/" + part;
      if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        return sys_error("create cgroup " + dir);
    }
    return ok_status();
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

  Status destroy() override { return remove_dir(dir_); }
  std::vector<std::string> dirs() const override { return {dir_}; }

 private:
  std::string root_, dir_, rel_;
};

}  // namespace

std::unique_ptr<Cgroup> make_cgroup_v2(const std::string& root, const std::string& rel) {
  return std::make_unique<CgroupV2>(root, rel);
}

}  // namespace berth::runtime
