#include "cli/attach.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <thread>

#include "api/http/wire.h"
#include "base/file.h"
#include "cli/demux.h"

namespace berth::cli {

Result<api::Hijacked> open_attach(Context& ctx, const std::string& id, bool with_stdin) {
  std::string target =
      "/containers/" + api::http::percent_encode(id) + "/attach?stream=1&stdout=1&stderr=1";
  if (with_stdin) target += "&stdin=1";
  return ctx.client.hijack("POST", target);
}

Result<api::StreamingResponse> open_wait(Context& ctx, const std::string& id,
                                         const std::string& condition) {
  return ctx.client.stream(
      "POST", "/containers/" + api::http::percent_encode(id) + "/wait?condition=" + condition);
}

Result<int> read_wait_status(api::StreamingResponse& wait) {
  BERTH_TRY_ASSIGN(std::string body, wait.read_all());
  if (!is_success(wait.status)) return api::Client::response_error(wait.status, body);
  BERTH_TRY_ASSIGN(Json j, parse_json(body, "wait response"));
  if (j.contains("Error") && j["Error"].is_object()) {
    std::string msg = json_string(j["Error"], "Message");
    if (!msg.empty()) return make_error(Code::kInternal, msg);
  }
  if (!j.contains("StatusCode") || !j["StatusCode"].is_number())
    return make_error(Code::kDataLoss, "wait response without StatusCode");
  return static_cast<int>(j["StatusCode"].get<long long>());
}

void resize_container(const api::Client& client, const std::string& id) {
  winsize ws{};
  if (::ioctl(1, TIOCGWINSZ, &ws) != 0 && ::ioctl(0, TIOCGWINSZ, &ws) != 0) return;
  if (ws.ws_row == 0 && ws.ws_col == 0) return;
  api::Client c = client;
  (void)c.request("POST", "/containers/" + api::http::percent_encode(id) + "/resize?h=" +
                              std::to_string(ws.ws_row) + "&w=" + std::to_string(ws.ws_col));
}

namespace {

class RawTerminal {
 public:
  explicit RawTerminal(int fd) : fd_(fd) {
    if (!::isatty(fd) || ::tcgetattr(fd, &saved_) != 0) return;
    termios raw = saved_;
    ::cfmakeraw(&raw);
    raw.c_oflag = saved_.c_oflag;  // output processing stays, as moby/term does
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
void start_signal_thread(const api::Client& client, const std::string& id, bool tty,
                         bool sig_proxy) {
  sigset_t set;
  sigemptyset(&set);
  if (tty) sigaddset(&set, SIGWINCH);
  if (!tty && sig_proxy) {
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) sigaddset(&set, s);
  }
  if (sigisemptyset(&set)) return;
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([client, id, set]() {
    while (true) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) return;
      if (sig == SIGWINCH) {
        resize_container(client, id);
        continue;
      }
      api::Client c = client;
      (void)c.request("POST", "/containers/" + api::http::percent_encode(id) +
                                  "/kill?signal=" + std::to_string(sig));
    }
  }).detach();
}

}  // namespace

Status run_session(Context& ctx, api::Hijacked& conn, const SessionOptions& options) {
  std::unique_ptr<RawTerminal> raw;
  if (options.tty && options.with_stdin) raw = std::make_unique<RawTerminal>(0);
  start_signal_thread(ctx.client, options.id, options.tty, options.sig_proxy);
  if (options.tty) resize_container(ctx.client, options.id);

  int sock = conn.fd.get();
  if (options.with_stdin) {
    // The thread owns a dup, so the number is never reused under it after we return.
    int sock_w = ::fcntl(sock, F_DUPFD_CLOEXEC, 0);
    if (sock_w < 0) return sys_error("dup attach socket");
    std::thread([sock = sock_w]() {
      UniqueFd owned(sock);
      char buf[32768];
      while (true) {
        ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (!api::http::send_all(sock, std::string_view(buf, static_cast<size_t>(n))).ok()) return;
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
  return ok_status();
}

}  // namespace berth::cli
