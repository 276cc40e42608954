// berth update [resource flags] [--restart POLICY] CONTAINER...: POST /containers/{id}/update
// with the UpdateConfig fields that were given; prints each name, and the daemon's warnings.
#include <cmath>

#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/flags/timeutil.h"
#include "cli/flags/usage.h"
#include "model/container_json.h"

namespace berth::cli {

int cmd_update(Context& ctx, const Args& args) {
  const char* usage = "update [OPTIONS] CONTAINER [CONTAINER...]";
  Flags flags;
  flags.add_string("blkio-weight", 0, "", "Block IO (relative weight), between 10 and 1000");
  flags.add_string("cpu-period", 0, "", "Limit CPU CFS (Completely Fair Scheduler) period");
  flags.add_string("cpu-quota", 0, "", "Limit CPU CFS (Completely Fair Scheduler) quota");
  flags.add_string("cpu-shares", 'c', "", "CPU shares (relative weight)");
  flags.add_string("cpus", 0, "", "Number of CPUs");
  flags.add_string("cpuset-cpus", 0, "", "CPUs in which to allow execution (0-3, 0,1)");
  flags.add_string("cpuset-mems", 0, "", "MEMs in which to allow execution (0-3, 0,1)");
  flags.add_string("memory", 'm', "", "Memory limit");
  flags.add_string("memory-reservation", 0, "", "Memory soft limit");
  flags.add_string("memory-swap", 0, "", "Swap limit equal to memory plus swap: -1 for unlimited");
  flags.add_string("pids-limit", 0, "", "Tune container pids limit (set -1 for unlimited)");
  flags.add_string("restart", 0, "", "Restart policy to apply when a container exits");
  int rc = parse_flags(flags, "update", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty()) return args_error("update", usage, "requires at least 1 argument");
  Json body = Json::object();
  auto bad = [&](const std::string& flag, const std::string& v, const std::string& why) {
    return flag_error(
        "update", make_error(Code::kInvalidArgument,
                             "invalid argument \"" + v + "\" for \"" + flag + "\" flag: " + why));
  };
  struct IntFlag {
    const char* name;
    const char* shown;
    const char* key;
  } ints[] = {{"blkio-weight", "--blkio-weight", "BlkioWeight"},
              {"cpu-period", "--cpu-period", "CpuPeriod"},
              {"cpu-quota", "--cpu-quota", "CpuQuota"},
              {"cpu-shares", "-c, --cpu-shares", "CpuShares"},
              {"pids-limit", "--pids-limit", "PidsLimit"}};
  for (const auto& f : ints) {
    if (!flags.changed(f.name)) continue;
    long long v = 0;
    std::string s = flags.get_string(f.name);
    if (!parse_int64(s, &v))
      return bad(f.shown, s, "strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
    body[f.key] = v;
  }
  struct RamFlag {
    const char* name;
    const char* shown;
    const char* key;
  } rams[] = {{"memory", "-m, --memory", "Memory"},
              {"memory-reservation", "--memory-reservation", "MemoryReservation"},
              {"memory-swap", "--memory-swap", "MemorySwap"}};
  for (const auto& f : rams) {
    if (!flags.changed(f.name)) continue;
    std::string s = flags.get_string(f.name);
    if (std::string(f.name) == "memory-swap" && s == "-1") {
      body[f.key] = -1;
      continue;
    }
    auto v = parse_ram_bytes(s);
    if (!v.ok()) return bad(f.shown, s, v.error().message);
    body[f.key] = *v;
  }
  if (flags.changed("cpus")) {
    std::string s = flags.get_string("cpus");
    char* end = nullptr;
    double cpus = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || cpus < 0)
      return bad("--cpus", s, "failed to parse " + s + " as a rational number");
    body["NanoCpus"] = static_cast<int64_t>(std::llround(cpus * 1e9));
  }
  if (flags.changed("cpuset-cpus")) body["CpusetCpus"] = flags.get_string("cpuset-cpus");
  if (flags.changed("cpuset-mems")) body["CpusetMems"] = flags.get_string("cpuset-mems");
  if (flags.changed("restart")) {
    std::string r = flags.get_string("restart");
    long long retries = 0;
    if (r.find(':') != std::string::npos) (void)parse_int64(r.substr(r.find(':') + 1), &retries);
    body["RestartPolicy"] = {{"Name", r.substr(0, r.find(':'))}, {"MaximumRetryCount", retries}};
  }
  if (body.empty()) {
    print_error("you must provide one or more flags when using this command");
    return 1;
  }
  if (!ctx.connect().ok()) return 1;
  int exit_code = 0;
  std::vector<std::string> warnings;
  for (const std::string& name : flags.args()) {
    auto resp = ctx.call("POST", "/containers/" + api::http::percent_encode(name) + "/update",
                         dump_json(body));
    if (!resp.ok()) return 1;
    if (!is_success(resp->status)) {
      print_daemon_error(*resp);
      exit_code = 1;
      continue;
    }
    auto updated = model::parse<model::ContainerUpdateResponse>(resp->body, "update response");
    if (updated.ok()) {
      for (const std::string& w : updated->warnings) warnings.push_back(w);
    }
    (void)write_all(1, name + "\n");
  }
  for (const std::string& w : warnings) print_error(w);
  return exit_code;
}

}  // namespace berth::cli
