// berth start [-a] [-i] CONTAINER...
#include "base/file.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "cli/streams/attach.h"
#include "model/container_json.h"

namespace berth::cli {

namespace {

int start_attached(Context& ctx, const std::string& name, bool interactive) {
  auto info = ctx.client.request("GET", "/containers/" + api::http::percent_encode(name) + "/json");
  if (!info.ok()) return 1;
  if (!is_success(info->status)) {
    print_daemon_error(*info);
    return 1;
  }
  auto c = decode_body<model::ContainerInspectResponse>(info->body, "container inspect");
  if (!c.ok()) return 1;
  std::string id = c->id.empty() ? name : c->id;
  bool tty = c->config && c->config->tty;
  bool with_stdin = interactive && c->config && c->config->open_stdin;
  bool auto_remove = c->host_config && c->host_config->auto_remove;

  auto conn = open_attach(ctx, id, with_stdin);
  if (!conn.ok()) {
    print_error("Error response from daemon: " + conn.error().message);
    return 1;
  }
  auto wait = open_wait(ctx, id, auto_remove ? "removed" : "next-exit");
  if (!wait.ok()) return 1;
  auto started = ctx.client.request("POST", "/containers/" + id + "/start");
  if (!started.ok()) return 1;
  if (!is_success(started->status) && started->status != 304) {
    print_daemon_error(*started);
    return 1;
  }
  SessionOptions session{id, tty, with_stdin, true};
  auto streamed = run_session(ctx, *conn, session);
  if (!streamed.ok()) print_error(streamed.error().message);
  auto status = read_wait_status(*wait);
  if (!status.ok()) {
    print_error("Error response from daemon: " + status.error().message);
    return 1;
  }
  return *status;
}

}  // namespace

int cmd_start(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("attach", 'a', "Attach STDOUT/STDERR and forward signals");
  flags.add_bool("interactive", 'i', "Attach container's STDIN");
  int rc = parse_flags(flags, "start", "start [OPTIONS] CONTAINER [CONTAINER...]", args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return args_error("start", "start [OPTIONS] CONTAINER [CONTAINER...]",
                      "requires at least 1 argument");
  if (!ctx.connect().ok()) return 1;
  bool attach = flags.get_bool("attach") || flags.get_bool("interactive");
  if (attach) {
    if (flags.args().size() > 1) {
      print_error("you cannot start and attach multiple containers at once");
      return 1;
    }
    return start_attached(ctx, flags.args()[0], flags.get_bool("interactive"));
  }
  int exit_code = 0;
  for (const std::string& name : flags.args()) {
    auto resp =
        ctx.client.request("POST", "/containers/" + api::http::percent_encode(name) + "/start");
    if (!resp.ok()) return 1;
    if (is_success(resp->status) || resp->status == 304) {
      (void)write_all(1, name + "\n");
    } else {
      print_daemon_error(*resp);
      exit_code = 1;
    }
  }
  return exit_code;
}

}  // namespace berth::cli
