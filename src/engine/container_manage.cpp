// Rename, pause/unpause, restart, update, prune and top.
#include <signal.h>

#include <type_traits>

#include "base/file.h"
#include "base/process.h"
#include "base/strings.h"
#include "base/time.h"
#include "engine/container_entry.h"
#include "engine/engine.h"
#include "engine/filters.h"
#include "engine/host_config.h"
#include "engine/names.h"
#include "oci/spec_json.h"
#include "runtime/runtime.h"

namespace berth::engine {

Status Engine::rename_container(const std::string& ref, const std::string& new_name_in) {
  std::string new_name = new_name_in;
  if (!new_name.empty() && new_name[0] == '/') new_name = new_name.substr(1);
  if (new_name.empty())
    return make_error(Code::kInvalidArgument, "Neither old nor new names may be empty");
  if (!valid_container_name(new_name)) {
    return make_error(Code::kInvalidArgument, "Invalid container name (" + new_name +
                                                  "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
  }
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  if (e->c.name == new_name)
    return make_error(Code::kInvalidArgument,
                      "Renaming a container with the same name as its current name");
  for (auto& [id, other] : entries_) {
    if (other->c.name == new_name) {
      return make_error(Code::kConflict, "Conflict. The container name \"/" + new_name +
                                             "\" is already in use by container \"" + id +
                                             "\". You have to remove (or rename) that container "
                                             "to be able to reuse that name.");
    }
  }
  std::string old = e->c.name;
  e->c.name = new_name;
  Status st = persist(e->c);
  if (!st) {
    e->c.name = old;
    return st;
  }
  publish(e->c, "rename", {{"oldName", "/" + old}});
  return ok_status();
}

Status Engine::pause_container(const std::string& ref) {
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  if (e->c.state.status == RunState::kPaused)
    return make_error(Code::kConflict, "Container " + e->c.id + " is already paused");
  if (e->c.state.status != RunState::kRunning)
    return make_error(Code::kConflict, "Container " + e->c.id + " is not running");
  BERTH_TRY_CTX(runtime::pause(runtime_root(), e->c.id), "Cannot pause container " + e->c.id);
  e->c.state.status = RunState::kPaused;
  BERTH_TRY(persist(e->c));
  publish(e->c, "pause");
  return ok_status();
}

Status Engine::unpause_container(const std::string& ref) {
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  if (e->c.state.status != RunState::kPaused)
    return make_error(Code::kConflict, "Container " + e->c.id + " is not paused");
  BERTH_TRY_CTX(runtime::resume(runtime_root(), e->c.id), "Cannot unpause container " + e->c.id);
  e->c.state.status = RunState::kRunning;
  BERTH_TRY(persist(e->c));
  publish(e->c, "unpause");
  return ok_status();
}

Status Engine::restart_container(const std::string& ref, std::optional<int> timeout,
                                 const std::string& signal) {
  std::string id;
  bool running;
  {
    std::lock_guard lock(mu_);
    BERTH_TRY_ASSIGN(auto e, find(ref));
    id = e->c.id;
    running = e->c.running();
  }
  if (running) {
    Status st = stop_container(id, timeout, signal);
    if (!st && st.error().code != Code::kNotModified) return st;
  }
  std::unique_lock lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(id));
  ++e->restart_token;  // cancels a pending policy restart
  if (e->c.state.status == RunState::kRestarting) e->c.state.status = RunState::kExited;
  BERTH_TRY(start_locked(lock, e));
  publish(e->c, "restart");
  return ok_status();
}

namespace {
// dockerd's UpdateContainer: the non-zero resources of an update (and the optional ones it
// sets) replace the container's.
void apply_update(const model::ContainerUpdateConfig& u, model::HostConfig& hc) {
  auto set = [](auto& to, const auto& from) {
    if (from != std::decay_t<decltype(from)>{}) to = from;
  };
  set(hc.memory, u.memory);
  set(hc.memory_swap, u.memory_swap);
  set(hc.memory_reservation, u.memory_reservation);
  set(hc.nano_cpus, u.nano_cpus);
  set(hc.cpu_shares, u.cpu_shares);
  set(hc.cpu_quota, u.cpu_quota);
  set(hc.cpu_period, u.cpu_period);
  set(hc.cpuset_cpus, u.cpuset_cpus);
  set(hc.cpuset_mems, u.cpuset_mems);
  set(hc.blkio_weight, u.blkio_weight);
  set(hc.kernel_memory, u.kernel_memory);
  if (u.pids_limit) hc.pids_limit = u.pids_limit;
  if (u.oom_kill_disable) hc.oom_kill_disable = u.oom_kill_disable;
  if (u.restart_policy.name != model::RestartPolicyMode::kEmpty)
    hc.restart_policy = u.restart_policy;
}
}  // namespace

Result<std::vector<std::string>> Engine::update_container(
    const std::string& ref, const model::ContainerUpdateConfig& update) {
  std::lock_guard lock(mu_);
  BERTH_TRY_ASSIGN(auto e, find(ref));
  model::HostConfig hc = e->c.host_config;
  apply_update(update, hc);
  // Docker: a memory limit above the current swap limit moves swap along.
  if (update.memory != 0 && update.memory_swap == 0 && hc.memory_swap > 0 &&
      hc.memory_swap < hc.memory) {
    return make_error(Code::kInvalidArgument,
                      "Cannot update container " + e->c.id +
                          ": Memory limit should be smaller than already set memoryswap limit, "
                          "update the memoryswap at the same time");
  }
  BERTH_TRY(validate_host_config(hc));
  using Mode = model::RestartPolicyMode;
  if (e->c.auto_remove() && hc.restart_policy.name != Mode::kEmpty &&
      hc.restart_policy.name != Mode::kNo)
    return make_error(
        Code::kInvalidArgument,
        "Cannot update container " + e->c.id +
            ": Restart policy cannot be updated because AutoRemove is enabled for the container");
  if (e->c.running()) {
    // The new limits go straight to the container's cgroup (through a scratch OCI spec).
    Json spec{
        {"process", {{"capabilities", {{"bounding", Json::array()}}}, {"user", Json::object()}}},
        {"mounts", Json::array()},
        {"linux", {{"resources", Json::object()}}}};
    BERTH_TRY(apply_host_config(hc, {}, spec));
    BERTH_TRY_ASSIGN(
        oci::Spec parsed,
        oci::parse_spec(dump_json(Json{{"ociVersion", "1.0.2"}, {"linux", spec["linux"]}})));
    if (parsed.linux_ && parsed.linux_->resources) {
      BERTH_TRY_ASSIGN(auto cg, runtime::open_cgroup(runtime::kDefaultCgroupRoot,
                                                     "/" + options_.cgroup_parent + "/" + e->c.id));
      BERTH_TRY_CTX(cg->apply(*parsed.linux_->resources), "Cannot update container " + e->c.id);
    }
  }
  e->c.host_config = hc;
  BERTH_TRY(persist(e->c));
  publish(e->c, "update");
  return std::vector<std::string>{};
}

Result<std::vector<std::string>> Engine::prune_containers(const Json& filters) {
  BERTH_TRY_ASSIGN(Filters f, Filters::from_json(filters));
  BERTH_TRY(f.validate({"label", "label!", "until"}));
  BERTH_TRY_ASSIGN(int64_t until, f.get_timestamp("until", now_nanos()));
  std::vector<std::string> candidates;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, e] : entries_) {
      const Container& c = e->c;
      if (c.running() || c.state.status == RunState::kRestarting) continue;
      if (until && c.created >= until) continue;
      if (!f.match_kv_list("label", c.config.labels)) continue;
      if (f.contains("label!") && f.match_kv_list("label!", c.config.labels)) continue;
      candidates.push_back(id);
    }
  }
  std::vector<std::string> removed;
  for (auto& id : candidates)
    if (remove_container(id, false)) removed.push_back(id);
  return removed;
}

Result<runtime::CgroupStats> Engine::stats(const std::string& ref) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    BERTH_TRY_ASSIGN(auto e, find(ref));
    if (!e->c.running()) return runtime::CgroupStats{};
    id = e->c.id;
  }
  return runtime::stats(runtime_root(), id);
}

Result<model::ContainerTopResponse> Engine::top(const std::string& ref,
                                                const std::string& ps_args_in) {
  std::string id;
  {
    std::lock_guard lock(mu_);
    BERTH_TRY_ASSIGN(auto e, find(ref));
    if (!e->c.running())
      return make_error(Code::kConflict, "Container " + e->c.id + " is not running");
    id = e->c.id;
  }
  BERTH_TRY_ASSIGN(auto pids, runtime::processes(runtime_root(), id));
  // Docker runs the host's ps with the user's options and keeps the container's rows.
  std::string ps_args = ps_args_in.empty() ? "-ef" : ps_args_in;
  std::vector<std::string> argv{"ps"};
  for (auto& a : split(ps_args, ' '))
    if (!a.empty()) argv.push_back(a);
  std::string out;
  BERTH_TRY_ASSIGN(int code, run_capture(argv, &out));
  if (code != 0)
    return make_error(Code::kInternal, "Error running ps: exit status " + std::to_string(code));
  auto lines = split(out, '\n');
  if (lines.empty()) return make_error(Code::kInternal, "Error running ps: no output");
  auto header_fields = [](const std::string& line) {
    std::vector<std::string> f;
    for (auto& x : split(line, ' '))
      if (!x.empty()) f.push_back(x);
    return f;
  };
  std::vector<std::string> titles = header_fields(lines[0]);
  int pid_col = -1;
  for (size_t i = 0; i < titles.size(); ++i)
    if (titles[i] == "PID") pid_col = static_cast<int>(i);
  if (pid_col < 0) return make_error(Code::kInternal, "Couldn't find PID field in ps output");
  model::ContainerTopResponse top;
  top.titles = titles;
  top.processes.set_empty();
  for (size_t l = 1; l < lines.size(); ++l) {
    if (trim(lines[l]).empty()) continue;
    auto fields = header_fields(lines[l]);
    if (fields.size() < titles.size()) continue;
    long long pid;
    if (!parse_int64(fields[static_cast<size_t>(pid_col)], &pid)) continue;
    if (std::find(pids.begin(), pids.end(), static_cast<pid_t>(pid)) == pids.end()) continue;
    // The last column (the command) keeps its spaces.
    std::vector<std::string> row(fields.begin(),
                                 fields.begin() + static_cast<long>(titles.size() - 1));
    std::string cmd;
    for (size_t i = titles.size() - 1; i < fields.size(); ++i)
      cmd += (cmd.empty() ? "" : " ") + fields[i];
    row.push_back(cmd);
    top.processes.push_back(model::List<std::string>(std::move(row)));
  }
  return top;
}

}  // namespace berth::engine
