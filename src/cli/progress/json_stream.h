// Docker's JSON message streams (load, pull, push, build, bootstrap): one model::JSONMessage per
// line with "stream", "status" (+ "id", "progress"), "error"/"errorDetail", "aux".
#pragma once

#include <string>

#include "api/client/client.h"
#include "model/image.h"

namespace berth::cli {

// One line of a stream as a message; an error when the line is not a JSON object of that shape.
Result<model::JSONMessage> parse_json_message(const std::string& line);
// True when the message reports a failure ("error" or "errorDetail").
bool has_error(const model::JSONMessage& m);
// The failure's text: "error", else errorDetail.message.
std::string error_text(const model::JSONMessage& m);

// Prints each message to stdout; an "error" goes to stderr and makes the result 1.  `aux_id`
// (optional) receives aux.ID.
int print_json_stream(api::StreamingResponse& resp, std::string* aux_id = nullptr);

}  // namespace berth::cli
