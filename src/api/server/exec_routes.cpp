// /containers/{id}/exec, /exec/{id}/start|resize|json.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/server/routes.h"
#include "api/server/stream_frame.h"
#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "model/container_json.h"
#include "model/exec_json.h"

namespace berth::api::server {

namespace {
using engine::Engine;

// Relays an exec's streams to the hijacked client until its output ends.
void relay(int client, engine::ExecSession& s) {
  char buf[65536];
  bool client_open = true;
  int out_fd = s.tty ? s.pty.get() : s.stdout_fd.get();
  int err_fd = s.tty ? -1 : s.stderr_fd.get();
  int in_fd = s.tty ? s.pty.get() : s.stdin_fd.get();
  while (out_fd >= 0 || err_fd >= 0) {
    struct pollfd fds[3] = {{out_fd, POLLIN, 0},
                            {err_fd, POLLIN, 0},
                            {client_open && in_fd >= 0 ? client : -1, POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      int* fd = i == 0 ? &out_fd : &err_fd;
      if (*fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(*fd, buf, sizeof buf);
      if (n <= 0) {  // EOF, or EIO from a pty whose process ended
        *fd = -1;
        continue;
      }
      std::string_view data(buf, static_cast<size_t>(n));
      if (!write_all(client, s.tty ? std::string(data) : docker_frame(i + 1, data))) return;
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = ::read(client, buf, sizeof buf);
      if (n <= 0) {
        client_open = false;
        if (!s.tty) s.stdin_fd.reset();  // EOF on the process's stdin
      } else {
        (void)write_all(in_fd, std::string_view(buf, static_cast<size_t>(n)));
      }
    }
  }
}

model::ExecInspect exec_inspect(const engine::ExecRecord& r) {
  const model::ExecCreateRequest& config = r.config;
  model::ExecInspect out;
  out.id = r.id;
  out.running = r.running;
  if (r.has_exit) out.exit_code = r.exit_code;
  model::ExecProcessConfig& process = out.process_config.emplace();
  process.tty = config.tty;
  process.entrypoint = config.cmd.empty() ? "" : config.cmd[0];
  process.arguments.set_empty();
  if (!config.cmd.empty()) process.arguments.assign(config.cmd.begin() + 1, config.cmd.end());
  process.privileged = config.privileged;
  process.user = config.user;
  out.open_stdin = config.attach_stdin;
  out.open_stderr = config.attach_stderr;
  out.open_stdout = config.attach_stdout;
  out.can_remove = false;
  out.container_id = r.container_id;
  out.detach_keys = config.detach_keys;
  out.pid = r.pid;
  return out;
}
}  // namespace

void add_exec_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add("POST", "/containers/{id}/exec",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(std::string body, json_body_text(r));
               BERTH_TRY_ASSIGN(auto config, model::parse<model::ExecCreateRequest>(
                                                 body.empty() ? "{}" : body, "exec config"));
               BERTH_TRY_ASSIGN(std::string id, e->create_exec(p.at("id"), config));
               model::IDResponse reply;
               reply.id = id;
               return send_json(w, 201, model::dump(reply));
             });
  router.add("POST", "/exec/{id}/start",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(std::string body, json_body_text(r));
               BERTH_TRY_ASSIGN(auto opts, model::parse<model::ExecStartRequest>(
                                               body.empty() ? "{}" : body, "exec start"));
               bool detach = opts.detach;
               BERTH_TRY_ASSIGN(engine::ExecSession session, e->start_exec(p.at("id"), detach));
               if (detach) return w.send(200, "", "");
               std::string buffered;
               BERTH_TRY_ASSIGN(UniqueFd client,
                                w.hijack(r,
                                         session.tty ? "application/vnd.docker.raw-stream"
                                                     : "application/vnd.docker.multiplexed-stream",
                                         &buffered));
               if (!buffered.empty()) {
                 int in = session.tty ? session.pty.get() : session.stdin_fd.get();
                 if (in >= 0) (void)write_all(in, buffered);
               }
               relay(client.get(), session);
               // The exit code is recorded before the stream closes: the client reads it next.
               int fd = client.get();
               (void)e->wait_exec(p.at("id"), [fd] { return peer_alive(fd); });
               ::shutdown(client.get(), SHUT_RDWR);
               return ok_status();
             });
  router.add("POST", "/exec/{id}/resize",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               long long h = 0, wd = 0;
               parse_int64(r.query_value("h"), &h);
               parse_int64(r.query_value("w"), &wd);
               BERTH_TRY(e->resize_exec(p.at("id"), static_cast<int>(h), static_cast<int>(wd)));
               return w.send(200, "", "text/plain");
             });
  router.add("GET", "/exec/{id}/json",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(auto rec, e->get_exec(p.at("id")));
               return send_json(w, 200, model::dump(exec_inspect(rec)));
             });
}

}  // namespace berth::api::server
