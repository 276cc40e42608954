#include "cli/streams/attach.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>

#include "api/http/wire.h"
#include "base/file.h"
#include "cli/streams/demux.h"
#include "model/container_json.h"

namespace berth::cli {

Result<api::Hijacked> open_attach(Context& ctx, const std::string& id, bool with_stdin,
                                  const std::string& detach_keys) {
  std::string target =
      "/containers/" + api::http::percent_encode(id) + "/attach?stream=1&stdout=1&stderr=1";
  if (with_stdin) target += "&stdin=1";
  if (!detach_keys.empty()) target += "&detachKeys=" + api::http::percent_encode(detach_keys);
  return ctx.client.hijack("POST", target);
}

Result<api::StreamingResponse> open_wait(Context& ctx, const std::string& id,
                                         const std::string& condition) {
  std::string target = "/containers/" + api::http::percent_encode(id) + "/wait";
  if (!condition.empty()) target += "?condition=" + condition;
  return ctx.client.stream("POST", target);
}

Result<int> read_wait_status(api::StreamingResponse& wait) {
  BERTH_TRY_ASSIGN(std::string body, wait.read_all());
  if (!is_success(wait.status)) return api::Client::response_error(wait.status, body);
  BERTH_TRY_ASSIGN(auto w, model::parse<model::ContainerWaitResponse>(body, "wait response"));
  if (w.error && !w.error->message.empty()) return make_error(Code::kInternal, w.error->message);
  return static_cast<int>(w.status_code);
}

void resize_target(const api::Client& client, const std::string& target, int grow) {
  winsize ws{};
  if (::ioctl(1, TIOCGWINSZ, &ws) != 0 && ::ioctl(0, TIOCGWINSZ, &ws) != 0) return;
  // An unsized terminal is left alone, except that the redraw nudge still goes (as docker's).
  if (ws.ws_row == 0 && ws.ws_col == 0 && grow == 0) return;
  api::Client c = client;
  (void)c.request("POST", target + "?h=" + std::to_string(ws.ws_row + grow) +
                              "&w=" + std::to_string(ws.ws_col + grow));
}

void resize_container(const api::Client& client, const std::string& id) {
  resize_target(client, "/containers/" + api::http::percent_encode(id) + "/resize");
}

Result<std::string> parse_detach_keys(const std::string& spec) {
  std::string out;
  auto bad = [&] {
    return make_error(Code::kInvalidArgument, "Invalid detach keys (" + spec + ") provided");
  };
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    std::string key =
        spec.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (key.size() == 1) {
      out += key;
    } else if (key.size() == 6 && key.rfind("ctrl-", 0) == 0) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(key[5])));
      if (c >= 'a' && c <= 'z') {
        out += static_cast<char>(c - 'a' + 1);
      } else if (c == '@' || c == '[' || c == '\\' || c == ']' || c == '^' || c == '_') {
        out += static_cast<char>(c - 64);  // ctrl-@ is 0, ctrl-[ is ESC (27)
      } else {
        return bad();
      }
    } else {
      return bad();
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (out.empty()) return bad();
  return out;
}

namespace {

class RawTerminal {
 public:
  explicit RawTerminal(int fd) : fd_(fd) {
    if (!::isatty(fd) || ::tcgetattr(fd, &saved_) != 0) return;
    termios raw = saved_;
    ::cfmakeraw(&raw);  // OPOST off too, as moby/term's MakeRaw: the container's pty did it
    if (::tcsetattr(fd, TCSANOW, &raw) == 0) active_ = true;
  }
  ~RawTerminal() {
    if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

// Blocks the signals we handle in every thread, and handles them on one thread with sigwait.
void start_signal_thread(const api::Client& client, const std::string& id,
                         const std::string& resize, bool tty, bool sig_proxy) {
  sigset_t set;
  sigemptyset(&set);
  if (tty) sigaddset(&set, SIGWINCH);
  if (!tty && sig_proxy) {
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) sigaddset(&set, s);
  }
  if (sigisemptyset(&set)) return;
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([client, id, resize, set]() {
    while (true) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) return;
      if (sig == SIGWINCH) {
        resize_target(client, resize);
        continue;
      }
      api::Client c = client;
      (void)c.request("POST", "/containers/" + api::http::percent_encode(id) +
                                  "/kill?signal=" + std::to_string(sig));
    }
  }).detach();
}

}  // namespace

Status run_session(Context& ctx, api::Hijacked& conn, const SessionOptions& options,
                   bool* detached) {
  std::unique_ptr<RawTerminal> raw;
  if (options.tty && options.with_stdin) raw = std::make_unique<RawTerminal>(0);
  std::string resize = options.resize_target.empty()
                           ? "/containers/" + api::http::percent_encode(options.id) + "/resize"
                           : options.resize_target;
  start_signal_thread(ctx.client, options.id, resize, options.tty, options.sig_proxy);
  if (options.tty) {
    if (options.redraw) resize_target(ctx.client, resize, 1);
    resize_target(ctx.client, resize);
  }

  int sock = conn.fd.get();
  // Typing the detach keys shuts the socket down both ways, which ends the read loop below.
  auto escaped = std::make_shared<std::atomic<bool>>(false);
  if (options.with_stdin) {
    // The thread owns a dup, so the number is never reused under it after we return.
    int sock_w = ::fcntl(sock, F_DUPFD_CLOEXEC, 0);
    if (sock_w < 0) return sys_error("dup attach socket");
    std::string keys = options.tty ? options.detach_keys : "";
    std::thread([sock = sock_w, keys, escaped]() {
      UniqueFd owned(sock);
      char buf[32768];
      size_t matched = 0;  // how much of `keys` the last bytes typed
      while (true) {
        ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        std::string chunk;
        for (ssize_t i = 0; i < n; ++i) {
          if (!keys.empty() && buf[i] == keys[matched]) {
            if (++matched == keys.size()) {
              escaped->store(true);
              (void)api::http::send_all(sock, chunk);
              ::shutdown(sock, SHUT_RDWR);
              return;
            }
            continue;
          }
          chunk.append(keys, 0, matched);  // a partial match was typed text after all
          matched = 0;
          chunk += buf[i];
        }
        if (!api::http::send_all(sock, chunk).ok()) return;
      }
      ::shutdown(sock, SHUT_WR);
    }).detach();
  }

  Demuxer demux(1, 2);
  auto deliver = [&](std::string_view data) -> Status {
    if (options.tty) return write_all(1, data);
    return demux.feed(data);
  };
  if (!conn.buffered.empty()) BERTH_TRY(deliver(conn.buffered));
  char buf[32768];
  while (true) {
    ssize_t n = ::read(sock, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNRESET) break;
      return sys_error("read attach stream");
    }
    if (n == 0) break;
    BERTH_TRY(deliver(std::string_view(buf, static_cast<size_t>(n))));
  }
  if (detached != nullptr) *detached = escaped->load();
  return ok_status();
}

}  // namespace berth::cli
