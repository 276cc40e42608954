// berth run: create, attach, wait, start, stream, exit with the container's status.  The order
// is the docker CLI's (see specs/engine-api/CLIENT-FLOWS.md): the wait is registered before
// start so a fast container's exit is not missed.
#include <unistd.h>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/container/container_config.h"
#include "cli/container/create_common.h"
#include "cli/streams/attach.h"

namespace berth::cli {

namespace {

// Docker's exit codes for a failed start: 127 command not found, 126 cannot invoke, else 125.
int start_failure_code(const std::string& message) {
  for (const char* s : {"executable file not found", "no such file or directory",
                        "system cannot find the file specified"}) {
    if (message.find(s) != std::string::npos) return 127;
  }
  for (const char* s : {"permission denied", "not a directory"}) {
    if (message.find(s) != std::string::npos) return 126;
  }
  return 125;
}

int run_error(const std::string& message, int code = 125) {
  print_error("berth: " + message + "\n\nRun 'berth run --help' for more information");
  return code;
}

}  // namespace

int cmd_run(Context& ctx, const Args& args) {
  Flags flags;
  add_container_flags(flags, true);
  int rc = parse_flags(flags, "run", "run [OPTIONS] IMAGE [COMMAND] [ARG...]", args, false);
  if (rc >= 0) return rc;
  auto spec = build_container_spec(flags, true);
  if (!spec.ok()) return run_error(spec.error().message);
  if (spec->tty && spec->interactive && !spec->detach && !::isatty(0)) {
    print_error("the input device is not a TTY");
    return 1;
  }
  if (!ctx.connect().ok()) return 125;

  std::string id;
  rc = create_container(ctx, *spec, "run", &id);
  if (rc >= 0) return rc;

  bool attach = !spec->detach;
  Result<api::Hijacked> conn = make_error(Code::kCancelled, "not attached");
  if (attach) {
    conn = open_attach(ctx, id, spec->interactive, spec->detach_keys_spec);
    if (!conn.ok()) return run_error("Error response from daemon: " + conn.error().message);
  }
  auto wait = open_wait(ctx, id, spec->auto_remove ? "removed" : "next-exit");
  if (!wait.ok()) return run_error(wait.error().message);
  if (!is_success(wait->status)) {
    auto body = wait->read_all();
    return run_error("Error response from daemon: " +
                     api::Client::error_message(wait->status, body.value_or("")));
  }

  auto started = ctx.client.request("POST", "/containers/" + id + "/start");
  if (!started.ok()) return run_error(started.error().message);
  if (!is_success(started->status)) {
    std::string msg = api::Client::error_message(started->status, started->body);
    return run_error("Error response from daemon: " + msg, start_failure_code(msg));
  }

  if (!attach) {
    (void)write_all(1, id + "\n");
    return 0;
  }
  SessionOptions session;
  session.id = id;
  session.tty = spec->tty;
  session.with_stdin = spec->interactive;
  session.sig_proxy = !flags.changed("sig-proxy") || flags.get_bool("sig-proxy");
  if (!spec->detach_keys.empty()) session.detach_keys = spec->detach_keys;
  bool detached = false;
  auto streamed = run_session(ctx, *conn, session, &detached);
  if (!streamed.ok()) print_error(streamed.error().message);
  if (detached) return 0;
  auto status = read_wait_status(*wait);
  if (!status.ok()) {
    print_error("berth: " + status.error().message);
    return 125;
  }
  return *status;
}

}  // namespace berth::cli
