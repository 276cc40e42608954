// The engine's side: launching a shim and talking to it.
#include "shim/shim_client.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/file.h"
#include "base/process.h"
#include "base/strings.h"
#include "shim/socket_util.h"

namespace berth::shim {

namespace {

Result<std::string> request(const std::string& state_dir, const std::string& line) {
  BERTH_TRY_ASSIGN(UniqueFd fd, connect_unix(state_dir + "/shim.sock"));
  BERTH_TRY(write_all(fd.get(), line + "\n"));
  auto reply = read_line(fd.get());
  if (!reply) return std::move(reply).error().context("shim " + line);
  if (reply->rfind("ok", 0) == 0) return reply->size() > 3 ? reply->substr(3) : std::string();
  std::string msg = reply->rfind("error ", 0) == 0 ? reply->substr(6) : *reply;
  return make_error(Code::kInternal, "shim " + line + ": " + msg);
}

Result<ExitStatus> parse_wait(const std::string& text) {
  auto f = split(text, ' ');
  long long code = 0, nanos = 0, oom = 0;
  if (f.size() != 3 || !parse_int64(f[0], &code) || !parse_int64(f[1], &nanos) ||
      !parse_int64(f[2], &oom))
    return make_error(Code::kInternal, "shim wait: bad reply \"" + text + "\"");
  return ExitStatus{static_cast<int>(code), nanos, oom != 0};
}

}  // namespace

Result<pid_t> launch(const ShimLaunch& l) {
  BERTH_TRY(make_dirs(l.state_dir, 0711));
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe");
  UniqueFd rd(p[0]), wr(p[1]);
  std::vector<std::string> args = {l.shim_binary,
                                   "--id",
                                   l.id,
                                   "--bundle",
                                   l.bundle,
                                   "--state-dir",
                                   l.state_dir,
                                   "--runtime-root",
                                   l.runtime_root,
                                   "--log-path",
                                   l.log_path,
                                   "--log-driver",
                                   l.log_driver,
                                   "--log-max-size",
                                   std::to_string(l.log_max_size),
                                   "--log-max-file",
                                   std::to_string(l.log_max_files),
                                   "--ready-fd",
                                   std::to_string(wr.get())};
  for (auto& [key, value] : l.log_attrs) args.insert(args.end(), {"--log-attr", key, value});
  if (l.tty) args.push_back("--tty");
  if (l.open_stdin) args.push_back("--open-stdin");
  if (l.stdin_once) args.push_back("--stdin-once");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  UniqueFd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!devnull) return sys_error("open /dev/null");
  // Our own fork/exec rather than base::spawn: Child's defaulted move constructor leaves the
  // moved-from object owning the pid, whose destructor then SIGKILLs the shim.
  pid_t pid = fork_claimed();
  if (pid < 0) return sys_error("fork berth-shim");
  if (pid == 0) {
    for (int i = 0; i < 3; ++i) ::dup2(devnull.get(), i);
    ::fcntl(wr.get(), F_SETFD, 0);
    ::setsid();
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  wr.reset();
  // The spawned process forks the real shim and exits at once; the shim writes one line on the
  // ready pipe once the container is created (or why it could not be).  ECHILD: the caller
  // ignores SIGCHLD, so the kernel reaped it for us.
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  unclaim_child(pid);
  auto line = read_line(rd.get());
  if (!line) {
    return make_error(Code::kInternal, "berth-shim for " + l.id + " exited (status " +
                                           std::to_string(exit_code_from_status(status)) +
                                           ") before it was ready");
  }
  if (line->rfind("ok ", 0) == 0) {
    long long pid = 0;
    if (!parse_int64(line->substr(3), &pid))
      return make_error(Code::kInternal, "berth-shim: bad ready line");
    return static_cast<pid_t>(pid);
  }
  // "error <code> <errno> <message>"
  auto f = split(*line, ' ');
  Error e = make_error(Code::kInternal, *line);
  long long code = 0, err = 0;
  if (f.size() >= 4 && f[0] == "error" && parse_int64(f[1], &code) && parse_int64(f[2], &err)) {
    e.code = static_cast<Code>(code);
    e.sys_errno = static_cast<int>(err);
    e.message = line->substr(f[0].size() + f[1].size() + f[2].size() + 3);
  }
  return e;
}

Status ShimClient::start() {
  BERTH_TRY(request(state_dir_, "start"));
  return ok_status();
}

Status ShimClient::kill(int signo) {
  BERTH_TRY(request(state_dir_, "kill " + std::to_string(signo)));
  return ok_status();
}

Status ShimClient::resize(int height, int width) {
  BERTH_TRY(request(state_dir_, "resize " + std::to_string(height) + " " + std::to_string(width)));
  return ok_status();
}

Result<pid_t> ShimClient::pid() {
  BERTH_TRY_ASSIGN(std::string r, request(state_dir_, "pid"));
  long long v = 0;
  if (!parse_int64(r, &v)) return make_error(Code::kInternal, "shim pid: bad reply \"" + r + "\"");
  return static_cast<pid_t>(v);
}

Result<ExitStatus> ShimClient::wait() {
  auto r = request(state_dir_, "wait");
  if (r) return parse_wait(*r);
  // The shim may have exited between our calls: its exit file has the answer.
  if (auto exit = read_exit_file(state_dir_)) return exit;
  return std::move(r).error();
}

Result<UniqueFd> ShimClient::attach(bool in, bool out, bool err) {
  BERTH_TRY_ASSIGN(UniqueFd fd, connect_unix(state_dir_ + "/shim.sock"));
  std::string line =
      std::string("attach ") + (in ? "1" : "0") + " " + (out ? "1" : "0") + " " + (err ? "1" : "0");
  BERTH_TRY(write_all(fd.get(), line + "\n"));
  BERTH_TRY_ASSIGN(std::string reply, read_line(fd.get()));
  if (reply.rfind("ok", 0) != 0) return make_error(Code::kInternal, "shim attach: " + reply);
  return fd;
}

}  // namespace berth::shim
