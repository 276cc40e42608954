// Docker's JSON message streams (load, pull, build, bootstrap): one object per line with
// "stream", "status" (+ "id", "progress"), "error"/"errorDetail", "aux".
#pragma once

#include <string>

#include "api/client/client.h"

namespace berth::cli {

// Prints each message to stdout; an "error" goes to stderr and makes the result 1.  `aux_id`
// (optional) receives aux.ID.
int print_json_stream(api::StreamingResponse& resp, std::string* aux_id = nullptr);

}  // namespace berth::cli
