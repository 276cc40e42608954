// The attached half of `run` and `start -a`: the hijacked attach connection opened before start,
// the wait request whose reply is the exit status, and the copying in between (demultiplexed
// frames, or raw bytes with a tty; stdin to the socket; terminal raw mode, resize on SIGWINCH and
// signal forwarding as `POST /containers/{id}/kill`).
#pragma once

#include <string>

#include "api/client/client.h"
#include "cli/context.h"

namespace berth::cli {

// POST /containers/{id}/attach?stream=1&stdout=1&stderr=1[&stdin=1][&detachKeys=..], upgraded.
Result<api::Hijacked> open_attach(Context& ctx, const std::string& id, bool with_stdin,
                                  const std::string& detach_keys = "");
// POST /containers/{id}/wait?condition=...; the head arrives at once, the body at exit.
Result<api::StreamingResponse> open_wait(Context& ctx, const std::string& id,
                                         const std::string& condition);
// Reads the wait reply's StatusCode.
Result<int> read_wait_status(api::StreamingResponse& wait);

struct SessionOptions {
  std::string id;
  bool tty = false;
  bool with_stdin = false;
  bool sig_proxy = true;
  // Where SIGWINCH sends the size; "" means "/containers/{id}/resize".
  std::string resize_target;
  // Bytes that detach (ctrl-p ctrl-q by default) when stdin is a tty session's input.
  std::string detach_keys = "\x10\x11";
  // Attaching to a running tty: size it one larger first, then right, so the shell gets a
  // SIGWINCH and redraws its prompt (docker attach's resizeTTY).
  bool redraw = false;
};
// After start: copies until the container's output ends.  *detached (optional) is set when the
// user typed the detach keys, which ends the session without waiting for the output to end.
Status run_session(Context& ctx, api::Hijacked& conn, const SessionOptions& options,
                   bool* detached = nullptr);

// POST /containers/{id}/resize with the size of our terminal; quiet on failure.
void resize_container(const api::Client& client, const std::string& id);
// POST <target>?h=..&w=.. with the size of our terminal (plus `grow` rows and columns); quiet on
// failure.
void resize_target(const api::Client& client, const std::string& target, int grow = 0);
// docker's --detach-keys: "ctrl-p,ctrl-q", "a,ctrl-@", ... as bytes; InvalidArgument with
// docker's "Invalid detach keys (x) provided" otherwise.
Result<std::string> parse_detach_keys(const std::string& spec);

}  // namespace berth::cli
