// The attached half of `run` and `start -a`: the hijacked attach connection opened before start,
// the wait request whose reply is the exit status, and the copying in between (demultiplexed
// frames, or raw bytes with a tty; stdin to the socket; terminal raw mode, resize on SIGWINCH and
// signal forwarding as `POST /containers/{id}/kill`).
#pragma once

#include <string>

#include "api/client/client.h"
#include "cli/context.h"

namespace berth::cli {

// POST /containers/{id}/attach?stream=1&stdout=1&stderr=1[&stdin=1], upgraded.
Result<api::Hijacked> open_attach(Context& ctx, const std::string& id, bool with_stdin);
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
};
// After start: copies until the container's output ends.
Status run_session(Context& ctx, api::Hijacked& conn, const SessionOptions& options);

// POST /containers/{id}/resize with the size of our terminal; quiet on failure.
void resize_container(const api::Client& client, const std::string& id);

}  // namespace berth::cli
