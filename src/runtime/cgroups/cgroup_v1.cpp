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
      if (h.has("cpuset")) {
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
