#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "base/file.h"
#include "base/time.h"
#include "runtime/cli/cli.h"
#include "runtime/runtime.h"

namespace berth::runtime::cli {

bool Args::take_value(const std::string& name, const std::string& short_name, std::string* out) {
  for (size_t i = 0; i < args_.size(); ++i) {
    const std::string& a = args_[i];
    if (a == "--") break;
    if ((a == name || (!short_name.empty() && a == short_name)) && i + 1 < args_.size()) {
      *out = args_[i + 1];
      args_.erase(args_.begin() + i, args_.begin() + i + 2);
      return true;
    }
    if (a.rfind(name + "=", 0) == 0) {
      *out = a.substr(name.size() + 1);
      args_.erase(args_.begin() + i);
      return true;
    }
  }
  return false;
}

bool Args::take_flag(const std::string& name, const std::string& short_name) {
  for (size_t i = 0; i < args_.size(); ++i) {
    if (args_[i] == "--") break;
    if (args_[i] == name || (!short_name.empty() && args_[i] == short_name)) {
      args_.erase(args_.begin() + i);
      return true;
    }
  }
  return false;
}

Result<std::vector<std::string>> Args::positionals() const {
  std::vector<std::string> out;
  bool rest = false;
  for (auto& a : args_) {
    if (!rest && a == "--") {
      rest = true;
      continue;
    }
    if (!rest && a.size() > 1 && a[0] == '-' && !isdigit(static_cast<unsigned char>(a[1])))
      return make_error(Code::kInvalidArgument, "flag provided but not defined: " + a);
    out.push_back(a);
  }
  return out;
}

namespace {

void report(const Globals& g, const std::string& message) {
  fprintf(stderr, "berth-runtime: %s\n", message.c_str());
  if (g.log_path.empty()) return;
  std::string line = g.log_format == "json" ? log_line_json("error", message)
                                            : "time=\"" + format_rfc3339_nano(now_nanos()) +
                                                  "\" level=error msg=\"" + message + "\"";
  FILE* f = fopen(g.log_path.c_str(), "ae");
  if (!f) return;
  fprintf(f, "%s\n", line.c_str());
  fclose(f);
}

void usage() {
  fprintf(stderr,
          "usage: berth-runtime [--root DIR] [--log FILE] [--log-format text|json] COMMAND\n"
          "commands: create start run exec state kill delete pause resume ps features spec\n");
}

}  // namespace

int main(int argc, char** argv) {
  // `run` waits for init: an inherited SIG_IGN for SIGCHLD would let the kernel reap it first.
  ::signal(SIGCHLD, SIG_DFL);
  Globals g;
  std::vector<std::string> all(argv + 1, argv + argc);
  size_t i = 0;
  for (; i < all.size(); ++i) {
    std::string a = all[i], value;
    auto eq = a.find('=');
    std::string name = a.substr(0, eq);
    bool has_eq = eq != std::string::npos;
    auto next = [&]() -> std::string {
      if (has_eq) return a.substr(eq + 1);
      return i + 1 < all.size() ? all[++i] : "";
    };
    if (name == "--root")
      g.root = next();
    else if (name == "--log")
      g.log_path = next();
    else if (name == "--log-format")
      g.log_format = next();
    else if (name == "--cgroup-root")
      g.cgroup_root = next();
    else if (name == "--debug" || name == "--systemd-cgroup")
      continue;
    else if (name == "--criu" || name == "--rootless")
      (void)next();
    else if (name == "--help" || name == "-h") {
      usage();
      return 0;
    } else if (name == "--version" || name == "-v") {
      printf("berth-runtime version 0.1.0\nspec: 1.2.0\n");
      return 0;
    } else
      break;
  }
  if (i >= all.size()) {
    usage();
    return 1;
  }
  std::string verb = all[i];
  // exec joins a running container whose processes could reach /proc/<us>/exe: run from a
  // sealed copy of the binary (CVE-2019-5736).  create/run enter a fresh pid namespace, where
  // nothing else runs until our execve, and init is non-dumpable until then.
  if (verb == "exec" && !running_from_sealed_memfd()) {
    auto st = reexec_from_sealed_memfd(argv);
    report(g, st ? "re-exec failed" : st.error().message);
    return 1;
  }
  Args args(std::vector<std::string>(all.begin() + i + 1, all.end()));
  Result<int> (*fn)(const Globals&, Args) = nullptr;
  if (verb == "create")
    fn = cmd_create;
  else if (verb == "start")
    fn = cmd_start;
  else if (verb == "run")
    fn = cmd_run;
  else if (verb == "state")
    fn = cmd_state;
  else if (verb == "kill")
    fn = cmd_kill;
  else if (verb == "delete")
    fn = cmd_delete;
  else if (verb == "spec")
    fn = cmd_spec;
  else if (verb == "exec")
    fn = cmd_exec;
  else if (verb == "pause")
    fn = cmd_pause;
  else if (verb == "resume")
    fn = cmd_resume;
  else if (verb == "ps")
    fn = cmd_ps;
  else if (verb == "features")
    fn = cmd_features;
  else if (verb == "events")
    fn = cmd_events;
  if (!fn) {
    report(g, "unknown command \"" + verb + "\"");
    return 1;
  }
  auto rc = fn(g, std::move(args));
  if (!rc) {
    report(g, rc.error().message);
    return 1;
  }
  return *rc;
}

}  // namespace berth::runtime::cli
