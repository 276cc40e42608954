// berth attach [--no-stdin] [--sig-proxy=false] [--detach-keys K] CONTAINER: inspects the
// container (it must run), registers the wait, then hijacks POST /containers/{id}/attach and
// exits with the container's status ("read escape sequence" and 1 after the detach keys, as
// docker attach).
#include "cli/streams/attach.h"

#include <unistd.h>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "model/container_json.h"

namespace berth::cli {

int cmd_attach(Context& ctx, const Args& args) {
  const char* usage = "attach [OPTIONS] CONTAINER";
  Flags flags;
  flags.add_bool("no-stdin", 0, "Do not attach STDIN");
  flags.add_bool("sig-proxy", 0, "Proxy all received signals to the process");
  flags.add_string("detach-keys", 0, "", "Override the key sequence for detaching a container");
  int rc = parse_flags(flags, "attach", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1) return args_error("attach", usage, "requires 1 argument");
  std::string keys;
  if (flags.changed("detach-keys")) {
    auto parsed = parse_detach_keys(flags.get_string("detach-keys"));
    if (!parsed.ok()) {
      print_error(parsed.error().message);
      return 1;
    }
    keys = *parsed;
  }
  if (!ctx.connect().ok()) return 1;
  std::string name = flags.args()[0];
  auto info = ctx.call("GET", "/containers/" + api::http::percent_encode(name) + "/json");
  if (!info.ok()) return 1;
  if (!is_success(info->status)) {
    print_daemon_error(*info);
    return 1;
  }
  auto c = decode_body<model::ContainerInspectResponse>(info->body, "container inspect");
  if (!c.ok()) return 1;
  model::ContainerState state = c->state.value_or(model::ContainerState{});
  if (!state.running) {
    print_error("You cannot attach to a stopped container, start it first");
    return 1;
  }
  if (state.paused) {
    print_error("You cannot attach to a paused container, unpause it first");
    return 1;
  }
  if (state.restarting) {
    print_error("You cannot attach to a restarting container, wait until it is running");
    return 1;
  }
  std::string id = c->id.empty() ? name : c->id;
  bool tty = c->config && c->config->tty;
  bool with_stdin = !flags.get_bool("no-stdin") && c->config && c->config->open_stdin;
  if (tty && with_stdin && !::isatty(0)) {
    print_error("the input device is not a TTY");
    return 1;
  }
  auto wait = open_wait(ctx, id, "");
  if (!wait.ok()) return 1;
  auto conn = open_attach(ctx, id, with_stdin, flags.get_string("detach-keys"));
  if (!conn.ok()) {
    print_error("Error response from daemon: " + conn.error().message);
    return 1;
  }
  SessionOptions session;
  session.id = id;
  session.tty = tty;
  session.with_stdin = with_stdin;
  session.sig_proxy = !flags.changed("sig-proxy") || flags.get_bool("sig-proxy");
  if (!keys.empty()) session.detach_keys = keys;
  session.redraw = true;
  bool detached = false;
  auto streamed = run_session(ctx, *conn, session, &detached);
  if (!streamed.ok()) print_error(streamed.error().message);
  if (detached) {
    // docker attach returns the detach as its error (run -it does not): same text, status 1.
    print_error("read escape sequence");
    return 1;
  }
  auto status = read_wait_status(*wait);
  if (!status.ok()) {
    print_error("Error response from daemon: " + status.error().message);
    return 1;
  }
  return *status;
}

}  // namespace berth::cli
