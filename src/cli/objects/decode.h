// Reading the daemon's replies into the typed model: a body is parsed and decoded once, here,
// and the commands work on the model's structs.  Errors are printed as the commands print a body
// they cannot read ("error reading image list: [0].Id: expected string").
#pragma once

#include <string>

#include "cli/context.h"
#include "model/json.h"

namespace berth::cli {

// The body decoded as a T (a model type, or a model::List of one); prints the error.
// REQUIRES: the caller includes the `model/<area>_json.h` that declares decode() for T.
template <class T>
Result<T> decode_body(const std::string& body, const std::string& what) {
  BERTH_TRY_ASSIGN(Json j, parse_body(body, what));
  auto v = model::from_json<T>(j);
  if (!v.ok()) print_error("error reading " + what + ": " + v.error().message);
  return v;
}

}  // namespace berth::cli
