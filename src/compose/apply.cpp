// up and down.  Services run in dependency order: each gets a thread that waits for its
// dependencies' conditions, makes sure its image is there, then converges its replicas (keeps a
// container whose config-hash label matches, recreates one that differs).  Independent services
// therefore proceed in parallel.  Each thread has its own EngineApi (the client is not
// thread-safe).
#include "compose/apply.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "base/strings.h"
#include "compose/container_spec.h"
#include "compose/internal/apply_steps.h"

namespace berth::compose {

namespace {

using Clock = std::chrono::steady_clock;

int number_of(const model::ContainerSummary& c) {
  auto it = c.labels.find(kLabelNumber);
  long long n = 0;
  if (it != c.labels.end()) (void)parse_int64(it->second, &n);
  return static_cast<int>(n);
}

std::string label_of(const model::ContainerSummary& c, const char* key) {
  auto it = c.labels.find(key);
  return it == c.labels.end() ? "" : it->second;
}

// What one service's thread publishes to its dependents.
struct ServiceState {
  bool done = false;
  bool ok = false;
  std::vector<std::string> ids;  // its containers
};

class Runner {
 public:
  Runner(EngineApi& api, const Project& project, const UpOptions& options,
         const ProgressFn& progress)
      : api_(api), project_(project), options_(options), progress_(progress) {}

  Status run(const std::vector<std::string>& order,
             const std::map<std::string, std::vector<model::ContainerSummary>>& existing) {
    existing_ = existing;
    for (const auto& s : order) states_[s];
    std::vector<std::thread> threads;
    std::vector<Status> results(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      threads.emplace_back([this, &order, &results, i] {
        results[i] = converge_service(order[i]);
        std::lock_guard lock(mu_);
        states_[order[i]].done = true;
        states_[order[i]].ok = results[i].ok();
        cv_.notify_all();
      });
    }
    for (auto& t : threads) t.join();
    for (auto& r : results) {
      if (!r.ok()) return r;
    }
    return ok_status();
  }

 private:
  void report(const std::string& kind, const std::string& name, const std::string& status) {
    std::lock_guard lock(progress_mu_);
    progress_(kind, name, status);
  }

  Status wait_dependency(EngineApi& api, const std::string& service, const std::string& dep,
                         const Node& cond) {
    std::vector<std::string> ids;
    {
      std::unique_lock lock(mu_);
      auto it = states_.find(dep);
      if (it == states_.end()) return ok_status();  // not part of this run
      cv_.wait(lock, [&] { return it->second.done; });
      if (!it->second.ok) {
        return make_error(Code::kUnavailable, "dependency failed to start: service " + dep +
                                                  " (needed by " + service + ") failed");
      }
      ids = it->second.ids;
    }
    std::string condition = cond.str("condition");
    auto deadline = Clock::now() + std::chrono::milliseconds(options_.dependency_timeout_ms);
    for (const auto& id : ids) {
      if (condition == "service_completed_successfully") {
        BERTH_TRY_ASSIGN(int64_t code, api.wait_container(id));
        if (code != 0) {
          return make_error(
              Code::kUnavailable,
              "service \"" + dep + "\" didn't complete successfully: exit " + std::to_string(code));
        }
        continue;
      }
      if (condition != "service_healthy") continue;
      bool waiting_reported = false;
      while (true) {
        BERTH_TRY_ASSIGN(auto info, api.inspect_container(id));
        std::string cname = info.name.empty() ? id : info.name.substr(info.name[0] == '/');
        std::string health = info.state && info.state->health ? info.state->health->status : "";
        if (health == "healthy") {
          report("Container", cname, "Healthy");
          break;
        }
        if (!waiting_reported) {
          report("Container", cname, "Waiting");
          waiting_reported = true;
        }
        if (health.empty()) {
          return make_error(Code::kInvalidArgument,
                            "container " + cname + " has no healthcheck configured");
        }
        if (health == "unhealthy") {
          return make_error(Code::kUnavailable,
                            "dependency failed to start: container " + cname + " is unhealthy");
        }
        if (info.state && !info.state->running) {
          return make_error(Code::kUnavailable, "dependency failed to start: container " + cname +
                                                    " exited (" +
                                                    std::to_string(info.state->exit_code) + ")");
        }
        if (Clock::now() > deadline) {
          return make_error(Code::kUnavailable, "timeout waiting for dependency " + dep + " of " +
                                                    service + " to be healthy");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    return ok_status();
  }

  Status ensure_image(EngineApi& api, const std::string& service, const Node& svc) {
    std::string image = service_image(project_, service);
    bool has_build = svc.has("build");
    if (has_build && options_.always_build && options_.build) {
      return options_.build(service, image);
    }
    BERTH_TRY_ASSIGN(bool present, api.image_exists(image));
    if (present) return ok_status();
    if (has_build && !options_.no_build && options_.build) return options_.build(service, image);
    report("Image", image, "Pulling");
    BERTH_TRY(api.pull_image(image));
    report("Image", image, "Pulled");
    return ok_status();
  }

  std::map<std::string, std::string> ids_by_service() {
    std::lock_guard lock(mu_);
    std::map<std::string, std::string> out;
    for (const auto& [name, st] : states_) {
      if (!st.ids.empty()) out[name] = st.ids[0];
    }
    for (const auto& [name, list] : existing_) {
      if (!out.count(name) && !list.empty()) out[name] = list[0].id;
    }
    return out;
  }

  Result<std::string> create(EngineApi& api, const std::string& service, int number) {
    BERTH_TRY_ASSIGN(auto req, container_request(project_, service, number, ids_by_service()));
    std::string name = container_name(project_, service, number);
    // Networks beyond the first are connected after create, as older daemons take only one.
    model::Map<model::EndpointSettings> extra;
    if (req.networking_config && req.networking_config->endpoints_config.size() > 1) {
      auto& eps = req.networking_config->endpoints_config;
      std::string first = req.host_config ? req.host_config->network_mode : "";
      for (auto it = eps.begin(); it != eps.end();) {
        if (it->first != first) {
          extra[it->first] = it->second;
          it = eps.erase(it);
        } else {
          ++it;
        }
      }
    }
    report("Container", name, "Creating");
    BERTH_TRY_ASSIGN(std::string id, api.create_container(name, req));
    for (const auto& [net, ep] : extra) BERTH_TRY(api.connect_network(net, id, ep));
    report("Container", name, "Created");
    return id;
  }

  Status converge_service(const std::string& service) {
    EngineApi api = api_;  // this thread's own client
    const Node& svc = *project_.services().find(service);
    if (const Node* deps = svc.find("depends_on"); deps != nullptr && !options_.no_deps) {
      for (const auto& [dep, cond] : deps->entries())
        BERTH_TRY(wait_dependency(api, service, dep, cond));
    }
    BERTH_TRY(ensure_image(api, service, svc));
    int replicas = service_replicas(svc);
    if (auto it = options_.scale.find(service); it != options_.scale.end()) replicas = it->second;
    std::string hash = config_hash(svc);
    std::vector<model::ContainerSummary> have;
    if (auto it = existing_.find(service); it != existing_.end()) have = it->second;
    std::vector<std::string> ids;
    std::vector<std::string> to_start;
    for (int n = 1; n <= replicas; ++n) {
      const model::ContainerSummary* current = nullptr;
      for (const auto& c : have) {
        if (number_of(c) == n) current = &c;
      }
      std::string name = container_name(project_, service, n);
      if (current != nullptr) {
        bool same = label_of(*current, kLabelConfigHash) == hash;
        if (options_.no_recreate || (same && !options_.force_recreate)) {
          ids.push_back(current->id);
          if (current->state == "running") {
            report("Container", name, "Running");
          } else {
            to_start.push_back(current->id);
          }
          continue;
        }
        report("Container", name, "Recreate");
        BERTH_TRY(api.stop_container(current->id));
        BERTH_TRY(api.remove_container(current->id, true, false));
        BERTH_TRY_ASSIGN(std::string id, create(api, service, n));
        report("Container", name, "Recreated");
        ids.push_back(id);
        to_start.push_back(id);
        continue;
      }
      BERTH_TRY_ASSIGN(std::string id, create(api, service, n));
      ids.push_back(id);
      to_start.push_back(id);
    }
    for (const auto& c : have) {  // scaled down
      if (number_of(c) <= replicas) continue;
      std::string name = summary_name(c);
      report("Container", name, "Stopping");
      BERTH_TRY(api.stop_container(c.id));
      report("Container", name, "Stopped");
      report("Container", name, "Removing");
      BERTH_TRY(api.remove_container(c.id, true, false));
      report("Container", name, "Removed");
    }
    if (!options_.no_start) {
      for (const auto& id : to_start) {
        std::string name = id;
        for (int n = 1; n <= replicas; ++n) {
          if (ids[n - 1] == id) name = container_name(project_, service, n);
        }
        report("Container", name, "Starting");
        auto st = api.start_container(id);
        if (!st.ok()) {
          return std::move(st).error().context("Error response from daemon: start " + name);
        }
        report("Container", name, "Started");
      }
    }
    std::lock_guard lock(mu_);
    states_[service].ids = ids;
    return ok_status();
  }

  EngineApi& api_;
  const Project& project_;
  const UpOptions& options_;
  const ProgressFn& progress_;
  std::map<std::string, std::vector<model::ContainerSummary>> existing_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, ServiceState> states_;
  std::mutex progress_mu_;
};

}  // namespace

std::string summary_name(const model::ContainerSummary& c) {
  if (c.names.empty()) return c.id.substr(0, 12);
  const std::string& n = c.names[0];
  return n.empty() || n[0] != '/' ? n : n.substr(1);
}

Result<std::vector<model::ContainerSummary>> project_containers(EngineApi& api,
                                                                const std::string& project,
                                                                bool include_oneoff) {
  BERTH_TRY_ASSIGN(auto list, api.list_containers({std::string(kLabelProject) + "=" + project}));
  std::vector<model::ContainerSummary> out;
  for (auto& c : list) {
    if (!include_oneoff && label_of(c, kLabelOneoff) == "True") continue;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    std::string sa = label_of(a, kLabelService), sb = label_of(b, kLabelService);
    if (sa != sb) return sa < sb;
    return number_of(a) < number_of(b);
  });
  return out;
}

std::vector<std::string> start_order(const Project& project, const std::vector<std::string>& only) {
  std::vector<std::string> order;
  std::set<std::string> seen;
  const Node& services = project.services();
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    if (seen.count(name) || !services.has(name)) return;
    seen.insert(name);
    if (const Node* deps = services.find(name)->find("depends_on")) {
      for (const auto& [dep, _] : deps->entries()) visit(dep);
    }
    order.push_back(name);
  };
  if (only.empty()) {
    for (const auto& name : project.service_names()) visit(name);
  } else {
    for (const auto& name : only) visit(name);
  }
  return order;
}

Status up(EngineApi& api, const Project& project, const UpOptions& options,
          const ProgressFn& progress, std::vector<std::string>* warnings) {
  for (const auto& s : options.services) {
    if (!project.services().has(s)) return make_error(Code::kNotFound, "no such service: " + s);
  }
  BERTH_TRY(internal::ensure_networks(api, project, progress));
  BERTH_TRY(internal::ensure_volumes(api, project, progress));
  BERTH_TRY_ASSIGN(auto containers, project_containers(api, project.name));
  std::map<std::string, std::vector<model::ContainerSummary>> by_service;
  std::vector<model::ContainerSummary> orphans;
  for (auto& c : containers) {
    std::string s = label_of(c, kLabelService);
    if (project.services().has(s)) {
      by_service[s].push_back(c);
    } else {
      orphans.push_back(c);
    }
  }
  if (!orphans.empty()) {
    if (options.remove_orphans) {
      for (const auto& c : orphans) {
        progress("Container", summary_name(c), "Removing");
        BERTH_TRY(api.remove_container(c.id, true, false));
        progress("Container", summary_name(c), "Removed");
      }
    } else if (warnings != nullptr) {
      std::vector<std::string> names;
      for (const auto& c : orphans) names.push_back(summary_name(c));
      warnings->push_back("Found orphan containers ([" + join(names, " ") +
                          "]) for this project. If you removed or renamed this service in your "
                          "compose file, you can run this command with the --remove-orphans "
                          "flag to clean it up.");
    }
  }
  Runner runner(api, project, options, progress);
  return runner.run(options.no_deps ? options.services : start_order(project, options.services),
                    by_service);
}

Status down(EngineApi& api, const Project& project, const DownOptions& options,
            const ProgressFn& progress, std::vector<std::string>* warnings) {
  BERTH_TRY_ASSIGN(auto containers, project_containers(api, project.name, true));
  // Dependents stop before what they depend on: reverse start order, one level at a time.
  // A service's level is 1 + the highest level of its dependencies; one level stops at a time,
  // its containers in parallel.
  std::vector<std::string> order = start_order(project);
  std::map<std::string, size_t> rank;
  for (const auto& s : order) {
    size_t level = 0;
    if (const Node* deps = project.services().find(s)->find("depends_on")) {
      for (const auto& [dep, _] : deps->entries()) {
        if (auto it = rank.find(dep); it != rank.end()) level = std::max(level, it->second + 1);
      }
    }
    rank[s] = level;
  }
  std::vector<model::ContainerSummary> orphans;
  std::map<size_t, std::vector<model::ContainerSummary>, std::greater<>> levels;
  for (auto& c : containers) {
    auto it = rank.find(label_of(c, kLabelService));
    if (it == rank.end()) {
      orphans.push_back(c);
    } else {
      levels[it->second].push_back(c);
    }
  }
  if (options.remove_orphans) {
    for (auto& c : orphans) levels[order.size()].push_back(c);
  } else if (!orphans.empty() && warnings != nullptr) {
    std::vector<std::string> names;
    for (const auto& c : orphans) names.push_back(summary_name(c));
    warnings->push_back("Found orphan containers ([" + join(names, " ") +
                        "]) for this project. If you removed or renamed this service in your "
                        "compose file, you can run this command with the --remove-orphans flag "
                        "to clean it up.");
  }
  std::mutex progress_mu;
  auto report = [&](const std::string& k, const std::string& n, const std::string& s) {
    std::lock_guard lock(progress_mu);
    progress(k, n, s);
  };
  for (auto& [_, list] : levels) {
    std::vector<std::thread> threads;
    std::vector<Status> results(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      threads.emplace_back([&, i] {
        EngineApi mine = api;
        const auto& c = list[i];
        std::string name = summary_name(c);
        if (c.state == "running" || c.state == "paused" || c.state == "restarting") {
          report("Container", name, "Stopping");
          results[i] = mine.stop_container(c.id, options.timeout);
          if (!results[i].ok()) return;
          report("Container", name, "Stopped");
        }
        report("Container", name, "Removing");
        results[i] = mine.remove_container(c.id, true, options.volumes);
        if (results[i].ok()) report("Container", name, "Removed");
      });
    }
    for (auto& t : threads) t.join();
    for (auto& r : results) {
      if (!r.ok()) return r;
    }
  }
  BERTH_TRY(internal::remove_networks(api, project, progress));
  if (options.volumes) BERTH_TRY(internal::remove_volumes(api, project, progress));
  return ok_status();
}

}  // namespace berth::compose
