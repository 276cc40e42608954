// exec: runc's flags; the process comes from --process or from the container's own process
// with the command line's overrides.
#include <sys/wait.h>
#include <unistd.h>

#include "base/file.h"
#include "base/strings.h"
#include "oci/spec_json.h"
#include "runtime/cli/cli.h"
#include "runtime/internal/state_store.h"
#include "runtime/runtime.h"

namespace berth::runtime::cli {

namespace {

struct ExecFlags {
  std::string process_file, pid_file, console_socket, cwd, user, apparmor, label;
  std::vector<std::string> env, caps, gids;
  bool tty = false, detach = false, no_new_privs = false;
};

// runc's exec flags stop at the container id; everything after it is the command.
Result<std::vector<std::string>> parse_exec_flags(const std::vector<std::string>& args,
                                                  ExecFlags* f) {
  size_t i = 0;
  for (; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.empty() || a[0] != '-') break;
    std::string name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    auto next = [&]() -> Result<std::string> {
      if (has_value) return value;
      if (i + 1 >= args.size())
        return make_error(Code::kInvalidArgument, "flag needs an argument: " + name);
      return args[++i];
    };
    if (name == "--tty" || name == "-t") {
      f->tty = true;
    } else if (name == "--detach" || name == "-d") {
      f->detach = true;
    } else if (name == "--no-new-privs") {
      f->no_new_privs = true;
    } else if (name == "--ignore-paused") {
    } else if (name == "--process" || name == "-p") {
      BERTH_TRY_ASSIGN(f->process_file, next());
    } else if (name == "--pid-file") {
      BERTH_TRY_ASSIGN(f->pid_file, next());
    } else if (name == "--console-socket") {
      BERTH_TRY_ASSIGN(f->console_socket, next());
    } else if (name == "--cwd") {
      BERTH_TRY_ASSIGN(f->cwd, next());
    } else if (name == "--user" || name == "-u") {
      BERTH_TRY_ASSIGN(f->user, next());
    } else if (name == "--apparmor") {
      BERTH_TRY_ASSIGN(f->apparmor, next());
    } else if (name == "--process-label") {
      BERTH_TRY_ASSIGN(f->label, next());
    } else if (name == "--env" || name == "-e") {
      BERTH_TRY_ASSIGN(std::string v, next());
      f->env.push_back(v);
    } else if (name == "--cap" || name == "-c") {
      BERTH_TRY_ASSIGN(std::string v, next());
      f->caps.push_back(v);
    } else if (name == "--additional-gids" || name == "-g") {
      BERTH_TRY_ASSIGN(std::string v, next());
      f->gids.push_back(v);
    } else if (name == "--preserve-fds") {
      BERTH_TRY(next());
    } else {
      return make_error(Code::kInvalidArgument, "flag provided but not defined: " + a);
    }
  }
  return std::vector<std::string>(args.begin() + i, args.end());
}

Status apply_overrides(const ExecFlags& f, std::vector<std::string> cmd, oci::Process* p) {
  p->args = std::move(cmd);
  p->terminal = f.tty;
  for (auto& e : f.env) p->env.push_back(e);
  if (!f.cwd.empty()) p->cwd = f.cwd;
  if (!f.user.empty()) {
    auto parts = split(f.user, ':');
    long long uid = 0, gid = 0;
    if (!parse_int64(parts[0], &uid) || (parts.size() > 1 && !parse_int64(parts[1], &gid)))
      return make_error(Code::kInvalidArgument, "--user takes uid[:gid], got " + f.user);
    p->user.uid = static_cast<uint32_t>(uid);
    p->user.gid = static_cast<uint32_t>(gid);
  }
  for (auto& g : f.gids) {
    long long v = 0;
    if (!parse_int64(g, &v)) return make_error(Code::kInvalidArgument, "bad gid " + g);
    p->user.additional_gids.push_back(static_cast<uint32_t>(v));
  }
  if (!f.caps.empty()) {
    if (!p->capabilities) p->capabilities = oci::Capabilities{};
    auto& c = *p->capabilities;
    for (auto& cap : f.caps)
      for (auto* set : {&c.bounding, &c.effective, &c.permitted, &c.inheritable, &c.ambient})
        set->push_back(cap);
  }
  if (f.no_new_privs) p->no_new_privileges = true;
  if (!f.apparmor.empty()) p->apparmor_profile = f.apparmor;
  if (!f.label.empty()) p->selinux_label = f.label;
  return ok_status();
}

}  // namespace

Result<int> cmd_exec(const Globals& g, Args args) {
  ExecFlags f;
  BERTH_TRY_ASSIGN(auto rest, parse_exec_flags(args.args_, &f));
  if (rest.empty()) return make_error(Code::kInvalidArgument, "exec requires a container id");
  ExecOptions o;
  o.root = g.root;
  o.cgroup_root = g.cgroup_root;
  o.id = rest[0];
  o.pid_file = f.pid_file;
  std::vector<std::string> cmd(rest.begin() + 1, rest.end());
  if (!f.process_file.empty()) {
    BERTH_TRY_ASSIGN(std::string text, read_file(f.process_file));
    BERTH_TRY_ASSIGN(o.process, oci::parse_process(text));
  } else {
    if (cmd.empty()) return make_error(Code::kInvalidArgument, "exec requires a command");
    BERTH_TRY_ASSIGN(ContainerRecord r, load_record(g.root, o.id));
    BERTH_TRY_ASSIGN(oci::Spec spec, oci::load_spec(r.bundle + "/config.json"));
    o.process = spec.process;
    BERTH_TRY(apply_overrides(f, cmd, &o.process));
  }
  UniqueFd console;
  if (o.process.terminal) {
    if (f.console_socket.empty())
      return make_error(Code::kInvalidArgument, "a terminal needs --console-socket");
    BERTH_TRY_ASSIGN(console, connect_console(f.console_socket));
    o.console_socket = console.get();
  }
  sigset_t forwarded = forwarded_signals(), old;
  if (!f.detach) ::sigprocmask(SIG_BLOCK, &forwarded, &old);
  BERTH_TRY_ASSIGN(pid_t pid, exec(o));
  console.reset();
  if (f.detach) return 0;
  int code = wait_forwarding(pid, forwarded);
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return code;
}

}  // namespace berth::runtime::cli
