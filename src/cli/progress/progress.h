// Pull and push output: Docker's JSON message stream rendered as one line per layer with a bar,
// sizes and speed on a terminal (redrawn in place), and as plain lines otherwise.
#pragma once

#include <string>

#include "api/client/client.h"

namespace berth::cli {

// Prints the stream to stdout; returns 1 after an "error" message (printed to stderr).
// `quiet`: nothing but errors.  `aux_digest` (optional) gets aux.Digest.
int print_progress_stream(api::StreamingResponse& resp, bool quiet,
                          std::string* aux_digest = nullptr);

}  // namespace berth::cli
