// berth-runtime's command line (runc's): one file per verb, each parsing its arguments and
// making one library call.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

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

std::string log_line_json(const std::string& level, const std::string& message);

}  // namespace berth::runtime::cli
