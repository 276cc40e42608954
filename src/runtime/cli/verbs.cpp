// The short verbs: start, state, kill, delete, spec.
#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "base/file.h"
#include "oci/spec_json.h"
#include "runtime/cli/cli.h"
#include "runtime/runtime.h"

namespace berth::runtime::cli {

namespace {
Result<std::string> one_id(const Args& args, const char* verb) {
  BERTH_TRY_ASSIGN(auto pos, args.positionals());
  if (pos.size() != 1)
    return make_error(Code::kInvalidArgument,
                      std::string(verb) + " requires exactly one container id");
  return pos[0];
}
}  // namespace

Result<int> cmd_start(const Globals& g, Args args) {
  BERTH_TRY_ASSIGN(std::string id, one_id(args, "start"));
  BERTH_TRY(start(g.root, id));
  return 0;
}

Result<int> cmd_state(const Globals& g, Args args) {
  BERTH_TRY_ASSIGN(std::string id, one_id(args, "state"));
  BERTH_TRY_ASSIGN(oci::State s, state(g.root, id));
  printf("%s\n", oci::state_to_json(s, true).c_str());
  return 0;
}

Result<int> cmd_kill(const Globals& g, Args args) {
  bool all = args.take_flag("--all", "-a");
  BERTH_TRY_ASSIGN(auto pos, args.positionals());
  if (pos.empty() || pos.size() > 2)
    return make_error(Code::kInvalidArgument, "usage: kill ID [SIGNAL] [--all]");
  int sig = SIGTERM;
  if (pos.size() == 2) {
    sig = parse_signal(pos[1]);
    if (!sig) return make_error(Code::kInvalidArgument, "unknown signal \"" + pos[1] + "\"");
  }
  BERTH_TRY(kill(g.root, pos[0], sig, all, g.cgroup_root));
  return 0;
}

Result<int> cmd_delete(const Globals& g, Args args) {
  bool force = args.take_flag("--force", "-f");
  BERTH_TRY_ASSIGN(std::string id, one_id(args, "delete"));
  BERTH_TRY(remove(g.root, id, force, g.cgroup_root));
  return 0;
}

Result<int> cmd_spec(const Globals&, Args args) {
  std::string bundle = ".";
  args.take_value("--bundle", "-b", &bundle);
  (void)args.take_flag("--rootless", "");
  std::string path = bundle + "/config.json";
  if (path_exists(path))
    return make_error(Code::kAlreadyExists, "File " + path + " exists. Remove it first");
  BERTH_TRY(write_file(path, oci::spec_to_json(oci::default_spec(), true) + "\n", 0644));
  return 0;
}

}  // namespace berth::runtime::cli
