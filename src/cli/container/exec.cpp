// berth exec [-d] [-i] [-t] [-u USER] [-w DIR] [-e K=V] [--env-file F] [--privileged]
// [--detach-keys K] CONTAINER COMMAND [ARG...]: POST /containers/{id}/exec, then
// POST /exec/{id}/start (hijacked unless -d), resize on SIGWINCH, and GET /exec/{id}/json for
// the exit code, which becomes ours.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "cli/streams/attach.h"
#include "model/container_json.h"
#include "model/exec_json.h"

namespace berth::cli {

int cmd_exec(Context& ctx, const Args& args) {
  const char* usage = "exec [OPTIONS] CONTAINER COMMAND [ARG...]";
  Flags flags;
  flags.add_bool("detach", 'd', "Detached mode: run command in the background");
  flags.add_bool("interactive", 'i', "Keep STDIN open even if not attached");
  flags.add_bool("tty", 't', "Allocate a pseudo-TTY");
  flags.add_string("user", 'u', "", "Username or UID (format: \"<name|uid>[:<group|gid>]\")");
  flags.add_string("workdir", 'w', "", "Working directory inside the container");
  flags.add_list("env", 'e', "Set environment variables");
  flags.add_list("env-file", 0, "Read in a file of environment variables");
  flags.add_bool("privileged", 0, "Give extended privileges to the command");
  flags.add_string("detach-keys", 0, "", "Override the key sequence for detaching a container");
  int rc = parse_flags(flags, "exec", usage, args, false);
  if (rc >= 0) return rc;
  if (flags.args().size() < 2) return args_error("exec", usage, "requires at least 2 arguments");
  std::string container = flags.args()[0];
  std::vector<std::string> cmd(flags.args().begin() + 1, flags.args().end());
  bool detach = flags.get_bool("detach");
  bool tty = flags.get_bool("tty");
  bool interactive = flags.get_bool("interactive");
  std::string detach_keys;
  if (flags.changed("detach-keys")) {
    auto keys = parse_detach_keys(flags.get_string("detach-keys"));
    if (!keys.ok()) {
      print_error(keys.error().message);
      return 1;
    }
    detach_keys = *keys;
  }
  if (tty && interactive && !detach && !::isatty(0)) {
    print_error("the input device is not a TTY");
    return 1;
  }
  model::ExecCreateRequest body;
  for (const std::string& e : flags.get_list("env")) {
    if (e.find('=') != std::string::npos) {
      body.env.push_back(e);
    } else if (const char* v = std::getenv(e.c_str())) {
      body.env.push_back(e + "=" + v);
    }
  }
  if (!ctx.connect().ok()) return 1;

  body.user = flags.get_string("user");
  body.privileged = flags.get_bool("privileged");
  body.tty = tty;
  body.attach_stdin = interactive && !detach;
  body.attach_stderr = !detach;
  body.attach_stdout = !detach;
  body.detach = detach;
  body.detach_keys = flags.get_string("detach-keys");
  body.working_dir = flags.get_string("workdir");
  body.cmd = cmd;
  winsize ws{};
  if (tty && ::ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
    body.console_size = {ws.ws_row, ws.ws_col};
  auto created = ctx.call("POST", "/containers/" + api::http::percent_encode(container) + "/exec",
                          model::dump(body));
  if (!created.ok()) return 1;
  if (!is_success(created->status)) {
    print_daemon_error(*created);
    return 1;
  }
  auto exec = decode_body<model::IDResponse>(created->body, "exec create response");
  if (!exec.ok()) return 1;
  std::string exec_id = exec->id;
  if (exec_id.empty()) {
    print_error("exec ID empty");
    return 1;
  }
  model::ExecStartRequest start;
  start.detach = detach;
  start.tty = tty;
  start.console_size = body.console_size;
  if (detach) {
    auto resp = ctx.call("POST", "/exec/" + exec_id + "/start", model::dump(start));
    if (!resp.ok()) return 1;
    if (!is_success(resp->status)) {
      print_daemon_error(*resp);
      return 1;
    }
    return 0;
  }
  auto conn = ctx.client.hijack("POST", "/exec/" + exec_id + "/start", model::dump(start));
  if (!conn.ok()) {
    print_error("Error response from daemon: " + conn.error().message);
    return 1;
  }
  SessionOptions session;
  session.id = container;
  session.tty = tty;
  session.with_stdin = interactive;
  session.sig_proxy = false;
  session.resize_target = "/exec/" + exec_id + "/resize";
  if (!detach_keys.empty()) session.detach_keys = detach_keys;
  bool detached = false;
  auto streamed = run_session(ctx, *conn, session, &detached);
  if (!streamed.ok()) {
    print_error(streamed.error().message);
    return 1;
  }
  if (detached) return 0;
  auto inspect = ctx.call("GET", "/exec/" + exec_id + "/json");
  if (!inspect.ok()) return 1;
  if (!is_success(inspect->status)) {
    print_daemon_error(*inspect);
    return 1;
  }
  auto info = decode_body<model::ExecInspect>(inspect->body, "exec inspect");
  if (!info.ok()) return 1;
  return static_cast<int>(info->exit_code.value_or(0));
}

}  // namespace berth::cli
