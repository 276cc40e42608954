// A container's log attributes: what dockerd's logger.Info.ExtraAttributes and ParseLogTag make
// of the log-opts labels, labels-regex, env, env-regex and tag; the shim records them with every
// entry (json-file's "attrs", local's LogEntry.attrs) and `docker logs --details` shows them.
#pragma once

#include <string>

#include "base/error.h"
#include "engine/container.h"
#include "shim/log_format.h"

namespace berth::engine {

// Computed at start (as dockerd does when it creates the logger), sorted by key: each label
// named in `labels` or matching `labels-regex` (Go's unanchored match), each env var named in
// `env` or matching `env-regex`, and `tag` when one was asked for.  None for the none driver.
// InvalidArgument for a regex or tag that does not parse.
Result<shim::LogAttrs> log_attributes(const Container& c);

// The --details prefix of a line (without its trailing space), as dockerd's attrsByteSlice:
// "k=v" pairs sorted by key, joined by ",", key and value query-escaped (Go's url.QueryEscape).
std::string log_details(shim::LogAttrs attrs);

}  // namespace berth::engine
