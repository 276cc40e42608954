#include "base/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "base/file.h"
#include "base/strings.h"

namespace berth {

namespace {
// The process's claimed children (pid -> claims).  Process-wide by nature: wait(2) is.
std::mutex& claims_mu() {
  static std::mutex mu;
  return mu;
}
std::map<pid_t, int>& claims() {
  static std::map<pid_t, int> m;
  return m;
}

// Every child of every thread of this process, from /proc/self/task/*/children.
std::vector<pid_t> list_children() {
  std::vector<pid_t> out;
  DIR* dir = ::opendir("/proc/self/task");
  if (!dir) return out;
  while (dirent* d = ::readdir(dir)) {
    if (d->d_name[0] == '.') continue;
    auto text = read_file(std::string("/proc/self/task/") + d->d_name + "/children");
    if (!text) continue;
    size_t i = 0;
    while (i < text->size()) {
      size_t j = text->find(' ', i);
      if (j == std::string::npos) j = text->size();
      long long pid = 0;
      if (j > i && parse_int64(text->substr(i, j - i), &pid))
        out.push_back(static_cast<pid_t>(pid));
      i = j + 1;
    }
  }
  ::closedir(dir);
  return out;
}

// Reaps the unclaimed zombies among our children; returns how many.
int reap_unclaimed() {
  std::lock_guard lock(claims_mu());
  int reaped = 0;
  for (pid_t pid : list_children()) {
    if (claims().count(pid)) continue;
    // WNOHANG: a live child stays; only a zombie is reaped.
    if (::waitpid(pid, nullptr, WNOHANG) == pid) ++reaped;
  }
  return reaped;
}

void reaper_loop() {
  using namespace std::chrono_literals;
  for (;;) {
    // Blocks until some child is a zombie, leaving it in place (WNOWAIT).
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) != 0) {
      if (errno != EINTR) std::this_thread::sleep_for(200ms);  // ECHILD: no children now
      continue;
    }
    // Nothing reaped: the zombie is claimed and its owner is about to wait for it.
    if (reap_unclaimed() == 0) std::this_thread::sleep_for(50ms);
  }
}

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

pid_t fork_claimed() {
  std::lock_guard lock(claims_mu());
  pid_t pid = ::fork();
  if (pid > 0) ++claims()[pid];
  return pid;
}

void unclaim_child(pid_t pid) {
  std::lock_guard lock(claims_mu());
  auto it = claims().find(pid);
  if (it != claims().end() && --it->second == 0) claims().erase(it);
}

void start_reaper() { std::thread(reaper_loop).detach(); }

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    unclaim_child(pid_);
  }
}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      unclaim_child(pid_);
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
  unclaim_child(pid_);
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
  // Nobody waits for it any more: the reaper (if running) may.
  if (p > 0) unclaim_child(p);
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
  pid_t pid = fork_claimed();
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
