// create and run: the verbs that make a container (run = create + start + wait + delete).
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "base/process.h"
#include "base/unique_fd.h"
#include "runtime/cli/cli.h"
#include "runtime/runtime.h"

namespace berth::runtime::cli {

Result<UniqueFd> connect_console(const std::string& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys_error("socket");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path))
    return make_error(Code::kInvalidArgument, "console socket path too long");
  strcpy(addr.sun_path, path.c_str());
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    return sys_error("connect console socket " + path);
  return fd;
}

sigset_t forwarded_signals() {
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCHLD})
    sigaddset(&forwarded, s);
  return forwarded;
}

int wait_forwarding(pid_t pid, const sigset_t& forwarded) {
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    siginfo_t info{};
    int sig = ::sigwaitinfo(&forwarded, &info);
    if (sig > 0 && sig != SIGCHLD) ::kill(pid, sig);
  }
  return exit_code_from_status(status);
}

namespace {

Result<CreateOptions> parse_create(const Globals& g, Args& args, UniqueFd* console,
                                   const char* verb) {
  CreateOptions o;
  o.root = g.root;
  o.cgroup_root = g.cgroup_root;
  o.bundle.assign(1, '.');  // not = ".": GCC 12 -Wrestrict false positive (PR 105329)
  args.take_value("--bundle", "-b", &o.bundle);
  args.take_value("--pid-file", "", &o.pid_file);
  std::string console_path, ignored;
  if (args.take_value("--console-socket", "", &console_path)) {
    BERTH_TRY_ASSIGN(*console, connect_console(console_path));
    o.console_socket = console->get();
  }
  (void)args.take_flag("--no-pivot", "");
  (void)args.take_flag("--no-new-keyring", "");
  (void)args.take_value("--preserve-fds", "", &ignored);
  BERTH_TRY_ASSIGN(auto pos, args.positionals());
  if (pos.size() != 1)
    return make_error(Code::kInvalidArgument,
                      std::string(verb) + " requires exactly one container id");
  o.id = pos[0];
  return o;
}

}  // namespace

Result<int> cmd_create(const Globals& g, Args args) {
  UniqueFd console;
  BERTH_TRY_ASSIGN(CreateOptions o, parse_create(g, args, &console, "create"));
  BERTH_TRY(create(o));
  return 0;
}

// Foreground run: signals sent to us go to the container; our exit code is the container's.
Result<int> cmd_run(const Globals& g, Args args) {
  bool detach = args.take_flag("--detach", "-d");
  UniqueFd console;
  BERTH_TRY_ASSIGN(CreateOptions o, parse_create(g, args, &console, "run"));
  sigset_t forwarded = forwarded_signals(), old;
  if (!detach) ::sigprocmask(SIG_BLOCK, &forwarded, &old);
  BERTH_TRY_ASSIGN(pid_t pid, create(o));
  if (auto st = start(o.root, o.id); !st) {
    (void)remove(o.root, o.id, true, o.cgroup_root);
    ::waitpid(pid, nullptr, 0);
    return std::move(st).error();
  }
  if (detach) return 0;
  int code = wait_forwarding(pid, forwarded);
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  BERTH_TRY(remove(o.root, o.id, true, o.cgroup_root));
  return code;
}

}  // namespace berth::runtime::cli
