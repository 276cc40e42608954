#include "base/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "base/file.h"

namespace berth {

namespace {
int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
int pidfd_send_signal(int pidfd, int sig) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

// Runs in the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const SpawnOptions& o, char** argv, char** envp, int devnull) {
  int fds[3] = {o.stdin_fd, o.stdout_fd, o.stderr_fd};
  for (int i = 0; i < 3; ++i) {
    int src = fds[i] >= 0 ? fds[i] : devnull;
    if (src == i) {
      ::fcntl(i, F_SETFD, 0);
    } else if (::dup2(src, i) < 0) {
      ::_exit(127);
    }
  }
  for (int fd : o.keep_fds) ::fcntl(fd, F_SETFD, 0);
  if (o.new_session) ::setsid();
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (envp)
    ::execve(argv[0], argv, envp);
  else
    ::execvp(argv[0], argv);
  ::_exit(127);
}
}  // namespace

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::move(other.pidfd_);
  }
  return *this;
}

Result<int> Child::wait() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) return sys_error("wait for pid " + std::to_string(pid_));
  }
  pid_ = -1;
  pidfd_.reset();
  return status;
}

Status Child::signal(int sig) {
  if (pid_ <= 0) return make_error(Code::kNotFound, "process already reaped");
  int rc = pidfd_ ? pidfd_send_signal(pidfd_.get(), sig) : ::kill(pid_, sig);
  if (rc != 0) return sys_error("signal pid " + std::to_string(pid_));
  return ok_status();
}

pid_t Child::release() {
  pidfd_.reset();
  pid_t p = pid_;
  pid_ = -1;
  return p;
}

Result<Child> spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return make_error(Code::kInvalidArgument, "spawn: empty argv");
  std::vector<char*> argv;
  for (auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : options.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  UniqueFd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!devnull) return sys_error("open /dev/null");
  pid_t pid = ::fork();
  if (pid < 0) return sys_error("fork " + options.argv[0]);
  if (pid == 0)
    exec_child(options, argv.data(), options.env.empty() ? nullptr : envp.data(), devnull.get());
  return Child(pid, UniqueFd(pidfd_open(pid)));
}

Result<int> run_capture(const std::vector<std::string>& argv, std::string* out) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return sys_error("pipe");
  UniqueFd rd(pipefd[0]), wr(pipefd[1]);
  SpawnOptions o;
  o.argv = argv;
  o.stdout_fd = wr.get();
  o.stderr_fd = 2;
  BERTH_TRY_ASSIGN(Child child, spawn(o));
  wr.reset();
  auto data = read_all(rd.get());
  BERTH_TRY_ASSIGN(int status, child.wait());
  if (!data) return std::move(data).error();
  if (out) *out = std::move(*data);
  return exit_code_from_status(status);
}

int exit_code_from_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

std::string self_executable_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

}  // namespace berth
