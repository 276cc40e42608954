// OCI hooks: each is a host binary run with the container's state on stdin.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "base/file.h"
#include "base/unique_fd.h"
#include "oci/spec_json.h"
#include "runtime/internal/security.h"

namespace berth::runtime {

namespace {

Status run_hook(const oci::Hook& h, const std::string& state_json) {
  int in[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return sys_error("pipe");
  UniqueFd in_r(in[0]), in_w(in[1]);
  if (::pipe2(err, O_CLOEXEC) != 0) return sys_error("pipe");
  UniqueFd err_r(err[0]), err_w(err[1]);
  std::vector<char*> argv, envp;
  std::vector<std::string> args = h.args.empty() ? std::vector<std::string>{h.path} : h.args;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& e : h.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return sys_error("fork hook " + h.path);
  if (pid == 0) {
    ::dup2(in_r.get(), 0);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull >= 0 ? devnull : err_w.get(), 1);
    ::dup2(err_w.get(), 2);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(h.path.c_str(), argv.data(), envp.data());
    dprintf(2, "exec: %s", strerror(errno));
    ::_exit(127);
  }
  in_r.reset();
  err_w.reset();
  // The state is small (far below a pipe's capacity) and a hook may not read it at all.
  ::fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
  (void)::write(in_w.get(), state_json.data(), state_json.size());
  in_w.reset();
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  int timeout_ms = h.timeout && *h.timeout > 0 ? *h.timeout * 1000 : -1;
  std::string stderr_text;
  struct pollfd p[2] = {{pidfd.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}};
  bool timed_out = false;
  for (;;) {
    int n = ::poll(p, err_r ? 2 : 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    if (err_r && (p[1].revents & (POLLIN | POLLHUP))) {
      char buf[1024];
      ssize_t r = ::read(err_r.get(), buf, sizeof(buf));
      if (r > 0 && stderr_text.size() < 4096) stderr_text.append(buf, r);
      if (r <= 0) err_r.reset();
    }
    if (p[0].revents & POLLIN) break;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    return make_error(Code::kCancelled,
                      "hook " + h.path + " timed out after " + std::to_string(*h.timeout) + "s");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ok_status();
  std::string why = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                      : "signal " + std::to_string(WTERMSIG(status));
  while (!stderr_text.empty() && stderr_text.back() == '\n') stderr_text.pop_back();
  return make_error(Code::kInternal, "hook " + h.path + " failed: " + why +
                                         (stderr_text.empty() ? "" : ": " + stderr_text));
}

}  // namespace

Status run_hooks(const std::vector<oci::Hook>& hooks, const oci::State& state, const char* phase) {
  if (hooks.empty()) return ok_status();
  std::string json = oci::state_to_json(state);
  for (auto& h : hooks) BERTH_TRY_CTX(run_hook(h, json), std::string(phase) + " hook");
  return ok_status();
}

}  // namespace berth::runtime
