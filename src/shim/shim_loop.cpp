// The shim's event loop: container output -> log and attachers, control requests, stdin,
// init's exit.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "base/file.h"
#include "base/strings.h"
#include "runtime/runtime.h"
#include "shim/shim_state.h"

namespace berth::shim {

namespace {

void set_events(ShimState& s, Conn& c) {
  struct epoll_event ev {};
  ev.events = 0;
  if (c.reading && c.pending_in.empty()) ev.events |= EPOLLIN;
  if (!c.pending_out.empty()) ev.events |= EPOLLOUT;
  ev.data.fd = c.fd.get();
  (void)::epoll_ctl(s.epoll.get(), EPOLL_CTL_MOD, c.fd.get(), &ev);
}

void watch_stdin(ShimState& s, bool on) {
  if (!s.stdin_fd || on == s.stdin_watched) return;
  struct epoll_event ev {};
  ev.events = EPOLLOUT;
  ev.data.fd = s.stdin_fd.get();
  (void)::epoll_ctl(s.epoll.get(), on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, s.stdin_fd.get(), &ev);
  s.stdin_watched = on;
}

void close_stdin(ShimState& s) {
  // Explicit DEL: with a tty, stdin_fd is a dup of the master, whose file stays open (and would
  // stay in the epoll set under a closed fd number).
  watch_stdin(s, false);
  s.stdin_fd.reset();
  for (auto& [fd, c] : s.conns) {
    if (c->pending_in.empty()) continue;
    c->pending_in.clear();
    set_events(s, *c);
  }
}

void drop_conn(ShimState& s, int fd) {
  auto it = s.conns.find(fd);
  if (it == s.conns.end()) return;
  Conn& c = *it->second;
  bool close_in = c.attached && c.in && s.config.stdin_once;
  ::epoll_ctl(s.epoll.get(), EPOLL_CTL_DEL, fd, nullptr);
  s.conns.erase(it);
  if (close_in) close_stdin(s);
}

void reply(Conn& c, const std::string& line) {
  (void)::send(c.fd.get(), line.data(), line.size(), MSG_NOSIGNAL);
}

// Writes what the pipe takes of c.pending_in; true when it is empty afterwards.
bool flush_stdin(ShimState& s, Conn& c) {
  while (!c.pending_in.empty() && s.stdin_fd) {
    ssize_t n = ::write(s.stdin_fd.get(), c.pending_in.data(), c.pending_in.size());
    if (n > 0) {
      c.pending_in.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return false;
    // EPIPE: the container closed its stdin; what it did not read is gone, as with a pipe.
    c.pending_in.clear();
  }
  c.pending_in.clear();
  return true;
}

// The client ended its stdin (shutdown(SHUT_WR)), all of it written to the container.
void end_client_stdin(ShimState& s, Conn& c) {
  c.close_stdin_after = false;
  if (c.in && s.config.stdin_once) close_stdin(s);
  c.in = false;
}

// Stdin from an attacher: written non-blocking; what the pipe cannot take now is kept and the
// attacher is not read again until the container drained it (EPOLLOUT on stdin_fd).
void write_stdin(ShimState& s, Conn& c, std::string_view data) {
  if (!s.stdin_fd || data.empty()) return;
  c.pending_in.append(data);
  if (!flush_stdin(s, c)) {
    set_events(s, c);
    watch_stdin(s, true);
  }
}

void on_stdin_writable(ShimState& s) {
  bool blocked = false;
  std::vector<int> ended;
  for (auto& [fd, c] : s.conns) {
    if (c->pending_in.empty()) continue;
    if (!flush_stdin(s, *c)) {
      blocked = true;
      continue;
    }
    if (c->close_stdin_after) ended.push_back(fd);
    set_events(s, *c);
  }
  if (!blocked) watch_stdin(s, false);
  for (int fd : ended) {
    auto it = s.conns.find(fd);
    if (it == s.conns.end()) continue;
    end_client_stdin(s, *it->second);
    if (!it->second->out && !it->second->err) drop_conn(s, fd);
  }
}

// Handles one request line; returns false when the connection is done.
bool handle_request(ShimState& s, Conn& c, const std::string& line) {
  auto f = split(trim(line), ' ');
  const std::string& cmd = f.empty() ? line : f[0];
  if (cmd == "start") {
    auto st = runtime::start(s.config.runtime_root, s.config.id);
    reply(c, st ? "ok\n" : "error " + st.error().message + "\n");
    return false;
  }
  if (cmd == "kill" && f.size() == 2) {
    int sig = runtime::parse_signal(f[1]);
    if (!sig)
      reply(c, "error bad signal " + f[1] + "\n");
    else if (s.exited || ::kill(s.init_pid, sig) != 0)
      reply(c, "error container is not running\n");
    else
      reply(c, "ok\n");
    return false;
  }
  if (cmd == "resize" && f.size() == 3) {
    long long h = 0, w = 0;
    if (!s.config.tty || !parse_int64(f[1], &h) || !parse_int64(f[2], &w)) {
      reply(c, "error resize needs a tty and <height> <width>\n");
      return false;
    }
    struct winsize ws {};
    ws.ws_row = static_cast<unsigned short>(h);
    ws.ws_col = static_cast<unsigned short>(w);
    if (::ioctl(s.out_fd[0].get(), TIOCSWINSZ, &ws) != 0)
      reply(c, "error resize failed\n");
    else
      reply(c, "ok\n");
    return false;
  }
  if (cmd == "pid") {
    reply(c, "ok " + std::to_string(s.init_pid) + "\n");
    return false;
  }
  if (cmd == "wait") {
    c.waiting = true;
    return true;
  }
  if (cmd == "attach" && f.size() == 4) {
    c.attached = true;
    c.in = f[1] == "1";
    c.out = f[2] == "1";
    c.err = f[3] == "1";
    reply(c, "ok\n");
    return true;
  }
  reply(c, "error unknown request \"" + line + "\"\n");
  return false;
}

// Sends queued output; false when the client is gone.
bool flush_out(Conn& c) {
  while (!c.pending_out.empty()) {
    ssize_t n =
        ::send(c.fd.get(), c.pending_out.data(), c.pending_out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c.pending_out.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
  return true;
}

void on_conn(ShimState& s, int fd, uint32_t events) {
  auto it = s.conns.find(fd);
  if (it == s.conns.end()) return;
  Conn& c = *it->second;
  if (events & EPOLLOUT) {
    if (!flush_out(c)) return drop_conn(s, fd);
    set_events(s, c);
  }
  if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
  if (!c.reading || !c.pending_in.empty()) {
    // Not reading (stdin ended, or backpressure): only a hang-up matters here.
    if (events & (EPOLLHUP | EPOLLERR)) drop_conn(s, fd);
    return;
  }
  char buf[16384];
  ssize_t n = ::read(fd, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    if (c.attached) {
      // The client shut down its write side: that is the end of its stdin, nothing more.
      c.reading = false;
      if (!c.pending_in.empty()) {
        c.close_stdin_after = true;
        set_events(s, c);
        return;
      }
      end_client_stdin(s, c);
      if (!c.out && !c.err) return drop_conn(s, fd);
      set_events(s, c);
      return;
    }
    drop_conn(s, fd);
    return;
  }
  if (c.attached) {
    if (c.in) write_stdin(s, c, std::string_view(buf, n));
    return;
  }
  c.buf.append(buf, n);
  auto nl = c.buf.find('\n');
  if (nl == std::string::npos) {
    if (c.buf.size() > 4096) drop_conn(s, fd);
    return;
  }
  std::string line = c.buf.substr(0, nl), rest = c.buf.substr(nl + 1);
  c.buf.clear();
  if (!handle_request(s, c, line)) {
    drop_conn(s, fd);
    return;
  }
  if (c.attached && c.in) write_stdin(s, c, rest);
}

void on_accept(ShimState& s) {
  for (;;) {
    int fd = ::accept4(s.listen_fd.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    auto c = std::make_unique<Conn>();
    c->fd = UniqueFd(fd);
    struct epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(s.epoll.get(), EPOLL_CTL_ADD, fd, &ev) != 0) continue;
    s.conns[fd] = std::move(c);
  }
}

void fan_out(ShimState& s, int stream, std::string_view data) {
  s.log.write(stream, data);
  std::string frame;
  if (!s.config.tty) {
    uint32_t n = static_cast<uint32_t>(data.size());
    char hdr[8] = {static_cast<char>(stream + 1),
                   0,
                   0,
                   0,
                   static_cast<char>(n >> 24),
                   static_cast<char>(n >> 16),
                   static_cast<char>(n >> 8),
                   static_cast<char>(n)};
    frame.assign(hdr, 8);
  }
  frame.append(data);
  std::vector<int> dead;
  for (auto& [fd, c] : s.conns) {
    if (!c->attached || !(stream == 0 ? c->out : c->err)) continue;
    bool was_empty = c->pending_out.empty();
    c->pending_out.append(frame);
    if (!flush_out(*c) || c->pending_out.size() > kMaxClientBacklog) {
      dead.push_back(fd);
      continue;
    }
    if (was_empty != c->pending_out.empty()) set_events(s, *c);
  }
  for (int fd : dead) drop_conn(s, fd);
}

// Reads what is there; returns false once the stream ended.
bool on_output(ShimState& s, int stream) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(s.out_fd[stream].get(), buf, sizeof(buf));
    if (n > 0) {
      fan_out(s, stream, std::string_view(buf, n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    // EOF, or EIO from a pty master whose slave side is closed everywhere.
    ::epoll_ctl(s.epoll.get(), EPOLL_CTL_DEL, s.out_fd[stream].get(), nullptr);
    s.out_fd[stream].reset();
    return false;
  }
}

void on_signal(ShimState& s) {
  struct signalfd_siginfo si;
  while (::read(s.signal_fd.get(), &si, sizeof(si)) == sizeof(si)) {
  }
  // We are a subreaper: orphans of the container end up here too.
  for (;;) {
    int status = 0;
    pid_t p = ::waitpid(-1, &status, WNOHANG);
    if (p <= 0) break;
    if (p == s.init_pid) {
      s.exited = true;
      s.exit_status = status;
    }
  }
}

}  // namespace

void run_loop(ShimState& s) {
  struct epoll_event events[32];
  while (!s.exited) {
    int n = ::epoll_wait(s.epoll.get(), events, 32, -1);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (s.stdin_watched && fd == s.stdin_fd.get())
        on_stdin_writable(s);
      else if (fd == s.signal_fd.get())
        on_signal(s);
      else if (fd == s.listen_fd.get())
        on_accept(s);
      else if (s.out_fd[0] && fd == s.out_fd[0].get())
        on_output(s, 0);
      else if (s.out_fd[1] && fd == s.out_fd[1].get())
        on_output(s, 1);
      else
        on_conn(s, fd, events[i].events);
    }
  }
  // Init is gone (and with it the pid namespace): what is still buffered is the last output.
  for (int i = 0; i < 2; ++i)
    if (s.out_fd[i]) on_output(s, i);
}

void finish_clients(ShimState& s, const ExitStatus& status) {
  std::string line = "ok " + std::to_string(status.exit_code) + " " +
                     std::to_string(status.finished_at) + " " + (status.oom_killed ? "1" : "0") +
                     "\n";
  for (auto& [fd, c] : s.conns) {
    if (c->waiting) reply(*c, line);
    if (!c->pending_out.empty()) {
      // The last output still queued: give the client a bounded time to take it.
      int flags = ::fcntl(fd, F_GETFL);
      ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
      struct timeval tv {
        5, 0
      };
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
      (void)write_all(fd, c->pending_out);
    }
    ::shutdown(fd, SHUT_RDWR);
  }
  s.conns.clear();
  // Requests that raced with the exit are still in the listen backlog (the socket file is
  // already gone, so no new ones come): answer them rather than reset them.
  for (;;) {
    UniqueFd fd(::accept4(s.listen_fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd) break;
    struct pollfd p {
      fd.get(), POLLIN, 0
    };
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[256];
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    std::string req = n > 0 ? trim(std::string_view(buf, n)) : "";
    std::string out = req == "wait" ? line : "error container exited\n";
    (void)::send(fd.get(), out.data(), out.size(), MSG_NOSIGNAL);
  }
}

}  // namespace berth::shim
