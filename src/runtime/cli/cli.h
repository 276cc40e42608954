// berth-runtime's command line (runc's): one file per verb, each parsing its arguments and
// making one library call.
#pragma once

#include <signal.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"

namespace berth::runtime::cli {

struct Globals {
  std::string root = "/run/berth-runtime";
  std::string log_path;
  std::string log_format = "text";
  std::string cgroup_root = "/sys/fs/cgroup";
};

// Arguments after the verb: flags (with their values) and positionals.
class Args {
 public:
  explicit Args(std::vector<std::string> args) : args_(std::move(args)) {}
  // Takes "--name value", "--name=value", or "-s value" off the list.
  bool take_value(const std::string& name, const std::string& short_name, std::string* out);
  bool take_flag(const std::string& name, const std::string& short_name);
  // What remains; an unknown "--flag" left here is InvalidArgument.
  Result<std::vector<std::string>> positionals() const;

 private:
  std::vector<std::string> args_;
  friend Result<int> cmd_exec(const Globals& g, Args args);
};

// The process exit code of the command (0 on success).
int main(int argc, char** argv);

Result<int> cmd_create(const Globals& g, Args args);
Result<int> cmd_start(const Globals& g, Args args);
Result<int> cmd_run(const Globals& g, Args args);
Result<int> cmd_state(const Globals& g, Args args);
Result<int> cmd_kill(const Globals& g, Args args);
Result<int> cmd_delete(const Globals& g, Args args);
Result<int> cmd_spec(const Globals& g, Args args);
Result<int> cmd_exec(const Globals& g, Args args);
Result<int> cmd_pause(const Globals& g, Args args);
Result<int> cmd_resume(const Globals& g, Args args);
Result<int> cmd_ps(const Globals& g, Args args);
Result<int> cmd_features(const Globals& g, Args args);
Result<int> cmd_events(const Globals& g, Args args);

// Connects to a --console-socket path.
Result<UniqueFd> connect_console(const std::string& path);
// Waits for `pid` (our child), forwarding the usual signals to it; returns its exit code.
// REQUIRES: those signals are blocked (forwarded_signals()) before the child was created.
int wait_forwarding(pid_t pid, const sigset_t& forwarded);
sigset_t forwarded_signals();

std::string log_line_json(const std::string& level, const std::string& message);

}  // namespace berth::runtime::cli
