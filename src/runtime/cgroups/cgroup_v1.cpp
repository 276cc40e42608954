// cgroup v1: the container gets the same relative dir in every mounted hierarchy.
#include <sys/stat.h>

#include "runtime/cgroups/cgroup_internal.h"

namespace berth::runtime {
namespace {

using namespace cgroup_internal;

struct Hierarchy {
  std::string name;  // "cpu,cpuacct"
  std::string dir;   // <root>/<name><rel>
  bool has(const std::string& ctrl) const {
    for (auto& c : split(name, ','))
      if (c == ctrl) return true;
    return false;
  }
};

class CgroupV1 final : public Cgroup {
 public:
  CgroupV1(std::string root, std::string rel) : root_(std::move(root)), rel_(std::move(rel)) {
    auto names = list_dir(root_);
    if (!names) return;
    for (auto& n : *names) {
      std::string p = root_ + "/" + n;
      struct stat st {};
      if (::lstat(p.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        continue;  // skips cpu -> cpu,cpuacct
      hierarchies_.push_back({n, p + rel_});
    }
  }

  Status create() override {
    for (auto& h : hierarchies_) {
      if (h.name == "unified") {
        // Hybrid: the v2 hierarchy owns controllers v1 does not mount (hugetlb on this kind of
        // host); crun 1.8 refuses the setup, we enable those there.
        UnifiedPart u(root_ + "/unified", rel_);
        std::vector<std::string> extra;
        for (auto& c : u.controllers())
          if (!find(c)) extra.push_back(c);
        BERTH_TRY(u.create(extra));
      } else if (h.has("cpuset")) {
        BERTH_TRY(create_cpuset(h));
      } else {
        BERTH_TRY_CTX(make_dirs(h.dir), "create cgroup");
      }
    }
    return ok_status();
  }

  Status apply(const oci::Resources& r) override {
    if (r.memory) {
      if (auto* h = find("memory")) {
        if (r.memory->limit)
          BERTH_TRY(write_value(h->dir, "memory.limit_in_bytes", std::to_string(*r.memory->limit)));
        if (r.memory->reservation)
          BERTH_TRY(write_value(h->dir, "memory.soft_limit_in_bytes",
                                std::to_string(*r.memory->reservation)));
        if (r.memory->swap && path_exists(h->dir + "/memory.memsw.limit_in_bytes"))
          BERTH_TRY(
              write_value(h->dir, "memory.memsw.limit_in_bytes", std::to_string(*r.memory->swap)));
        if (r.memory->swappiness && *r.memory->swappiness <= 100)
          BERTH_TRY(
              write_value(h->dir, "memory.swappiness", std::to_string(*r.memory->swappiness)));
        if (r.memory->disable_oom_killer && *r.memory->disable_oom_killer)
          BERTH_TRY(write_value(h->dir, "memory.oom_control", "1"));
      }
    }
    if (!r.devices.empty()) {
      if (auto* h = find("devices")) {
        for (auto& d : with_default_devices(r.devices))
          BERTH_TRY(
              write_value(h->dir, d.allow ? "devices.allow" : "devices.deny", device_rule(d)));
      }
    }
    if (r.block_io) BERTH_TRY(apply_blkio(*r.block_io));
    if (!r.hugepage_limits.empty()) {
      if (auto* h = find("hugetlb")) {
        for (auto& l : r.hugepage_limits)
          BERTH_TRY(write_value(h->dir, "hugetlb." + l.page_size + ".limit_in_bytes",
                                std::to_string(l.limit)));
      } else if (auto* u = find_name("unified")) {
        BERTH_TRY(apply_hugetlb_v2(u->dir, r.hugepage_limits));
      } else {
        return make_error(Code::kNotImplemented, "hugetlb limits: no hugetlb controller");
      }
    }
    if (r.pids && r.pids->limit != 0) {
      if (auto* h = find("pids"))
        BERTH_TRY(write_value(h->dir, "pids.max",
                              r.pids->limit > 0 ? std::to_string(r.pids->limit) : "max"));
    }
    if (r.cpu) {
      if (auto* h = find("cpu")) {
        if (r.cpu->shares)
          BERTH_TRY(write_value(h->dir, "cpu.shares", std::to_string(*r.cpu->shares)));
        if (r.cpu->period)
          BERTH_TRY(write_value(h->dir, "cpu.cfs_period_us", std::to_string(*r.cpu->period)));
        if (r.cpu->quota)
          BERTH_TRY(write_value(h->dir, "cpu.cfs_quota_us", std::to_string(*r.cpu->quota)));
      }
      if (auto* h = find("cpuset")) {
        if (!r.cpu->cpus.empty()) BERTH_TRY(write_value(h->dir, "cpuset.cpus", r.cpu->cpus));
        if (!r.cpu->mems.empty()) BERTH_TRY(write_value(h->dir, "cpuset.mems", r.cpu->mems));
      }
    }
    return ok_status();
  }

  Status add(pid_t pid) override {
    for (auto& h : hierarchies_) BERTH_TRY(write_value(h.dir, "cgroup.procs", std::to_string(pid)));
    return ok_status();
  }

  Result<std::vector<pid_t>> pids() override {
    for (auto& h : hierarchies_)
      if (h.has("pids") || h.has("memory") || h.has("freezer")) return read_procs(h.dir);
    if (hierarchies_.empty()) return std::vector<pid_t>{};
    return read_procs(hierarchies_.front().dir);
  }

  bool oom_killed() override {
    auto* h = find("memory");
    if (!h) return false;
    auto text = read_file(h->dir + "/memory.oom_control");
    if (!text) return false;
    for (auto& line : split(*text, '\n')) {
      auto f = split(line, ' ');
      long long v = 0;
      if (f.size() == 2 && f[0] == "oom_kill" && parse_int64(f[1], &v)) return v > 0;
    }
    return false;
  }

  Status freeze(bool frozen) override {
    auto* h = find("freezer");
    if (!h) return make_error(Code::kNotImplemented, "pause: no freezer cgroup");
    const char* want = frozen ? "FROZEN" : "THAWED";
    BERTH_TRY(write_value(h->dir, "freezer.state", want));
    return wait_for_value(h->dir + "/freezer.state", want);
  }

  bool frozen() override {
    auto* h = find("freezer");
    if (!h) return false;
    auto text = read_file(h->dir + "/freezer.state");
    return text && trim(*text) == "FROZEN";
  }

  Result<CgroupStats> stats() override {
    CgroupStats st;
    if (auto* h = find("cpuacct")) {
      st.cpu_usage_ns = read_u64(h->dir + "/cpuacct.usage");
      st.cpu_user_ns = read_u64(h->dir + "/cpuacct.usage_user");
      st.cpu_system_ns = read_u64(h->dir + "/cpuacct.usage_sys");
      if (auto text = read_file(h->dir + "/cpuacct.usage_percpu"))
        for (auto& f : split(trim(*text), ' ')) {
          long long v = 0;
          if (parse_int64(f, &v)) st.percpu_usage_ns.push_back(v);
        }
    }
    if (auto* h = find("cpu")) {
      auto kv = read_flat_keyed(h->dir + "/cpu.stat");
      st.cpu_periods = keyed_value(kv, "nr_periods");
      st.cpu_throttled_periods = keyed_value(kv, "nr_throttled");
      st.cpu_throttled_ns = keyed_value(kv, "throttled_time");
    }
    if (auto* h = find("memory")) {
      st.memory_usage = read_u64(h->dir + "/memory.usage_in_bytes");
      st.memory_max_usage = read_u64(h->dir + "/memory.max_usage_in_bytes");
      st.memory_limit = read_u64(h->dir + "/memory.limit_in_bytes");
      st.memory_failcnt = read_u64(h->dir + "/memory.failcnt");
      uint64_t memsw = read_u64(h->dir + "/memory.memsw.usage_in_bytes");
      st.swap_usage = memsw > st.memory_usage ? memsw - st.memory_usage : 0;
      st.memory_stat = read_flat_keyed(h->dir + "/memory.stat");
      st.oom_kills = keyed_value(read_flat_keyed(h->dir + "/memory.oom_control"), "oom_kill");
    }
    if (auto* h = find("pids")) {
      st.pids_current = read_u64(h->dir + "/pids.current");
      st.pids_limit = read_u64(h->dir + "/pids.max");
    }
    if (auto* h = find("blkio")) {
      // "8:0 Read 4096" lines; the throttle file counts every device, bfq or not.
      for (const char* f :
           {"blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_serviced_recursive"}) {
        bool bytes = std::string(f).find("bytes") != std::string::npos;
        auto text = read_file(h->dir + "/" + f);
        if (!text) continue;
        for (auto& line : split(*text, '\n')) {
          auto fl = split(line, ' ');
          long long v = 0;
          if (fl.size() != 3 || !parse_int64(fl[2], &v)) continue;
          if (fl[1] == "Read") (bytes ? st.io_read_bytes : st.io_read_ops) += v;
          if (fl[1] == "Write") (bytes ? st.io_write_bytes : st.io_write_ops) += v;
        }
      }
    }
    if (auto* h = find("hugetlb")) {
      auto names = list_dir(h->dir);
      if (names)
        for (auto& n : *names)
          if (n.rfind("hugetlb.", 0) == 0 && n.size() > 23 &&
              n.substr(n.size() - 15) == ".usage_in_bytes")
            st.hugetlb_usage.emplace_back(n.substr(8, n.size() - 23), read_u64(h->dir + "/" + n));
    } else if (auto* u = find_name("unified")) {
      hugetlb_usage_v2(u->dir, &st);
    }
    return st;
  }

  Status destroy() override {
    Status first;
    for (auto& h : hierarchies_) {
      auto st = remove_dir(h.dir);
      if (!st && first.ok()) first = st;
    }
    return first;
  }

  std::vector<std::string> dirs() const override {
    std::vector<std::string> out;
    for (auto& h : hierarchies_) out.push_back(h.dir);
    return out;
  }

 private:
  const Hierarchy* find_name(const std::string& name) const {
    for (auto& h : hierarchies_)
      if (h.name == name) return &h;
    return nullptr;
  }

  Status apply_blkio(const oci::BlockIo& b) {
    auto* h = find("blkio");
    if (!h) return make_error(Code::kNotImplemented, "blkio limits: no blkio cgroup");
    // With the bfq scheduler the weight files carry a bfq. prefix (cfq is gone since 5.0).
    std::string prefix = path_exists(h->dir + "/blkio.weight") ? "blkio." : "blkio.bfq.";
    // 0 means unset (dockerd sends it).
    if (b.weight && *b.weight)
      BERTH_TRY(write_value(h->dir, prefix + "weight", std::to_string(*b.weight)));
    for (auto& d : b.weight_device)
      if (d.weight && *d.weight)
        BERTH_TRY(write_value(h->dir, prefix + "weight_device",
                              std::to_string(d.major) + ":" + std::to_string(d.minor) + " " +
                                  std::to_string(*d.weight)));
    auto throttle = [&](const char* file, const std::vector<oci::ThrottleDevice>& v) -> Status {
      for (auto& d : v)
        BERTH_TRY(write_value(h->dir, file,
                              std::to_string(d.major) + ":" + std::to_string(d.minor) + " " +
                                  std::to_string(d.rate)));
      return ok_status();
    };
    BERTH_TRY(throttle("blkio.throttle.read_bps_device", b.throttle_read_bps));
    BERTH_TRY(throttle("blkio.throttle.write_bps_device", b.throttle_write_bps));
    BERTH_TRY(throttle("blkio.throttle.read_iops_device", b.throttle_read_iops));
    BERTH_TRY(throttle("blkio.throttle.write_iops_device", b.throttle_write_iops));
    return ok_status();
  }

  const Hierarchy* find(const std::string& ctrl) const {
    for (auto& h : hierarchies_)
      if (h.has(ctrl)) return &h;
    return nullptr;
  }

  // A new cpuset cgroup starts with empty cpus/mems and refuses tasks: copy them down each level.
  Status create_cpuset(const Hierarchy& h) {
    std::string dir = root_ + "/" + h.name;
    for (auto& part : split(rel_, '/')) {
      if (part.empty()) continue;
      std::string parent = dir;
      dir += "/" + part;
      if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        return sys_error("create cgroup " + dir);
      for (const char* f : {"cpuset.cpus", "cpuset.mems"}) {
        auto cur = read_file(dir + "/" + f);
        if (cur && !trim(*cur).empty()) continue;
        auto up = read_file(parent + "/" + f);
        if (up && !trim(*up).empty()) BERTH_TRY(write_value(dir, f, trim(*up)));
      }
    }
    return ok_status();
  }

  std::string root_, rel_;
  std::vector<Hierarchy> hierarchies_;
};

}  // namespace

std::unique_ptr<Cgroup> make_cgroup_v1(const std::string& root, const std::string& rel) {
  return std::make_unique<CgroupV1>(root, rel);
}

}  // namespace berth::runtime
