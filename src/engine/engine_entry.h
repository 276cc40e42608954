// The engine's in-memory record of one container (internal to engine/).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/engine.h"
#include "shim/shim_client.h"

namespace berth::engine {

struct Engine::Entry {
  Container c;
  uint64_t exit_generation = 0;  // bumped at every exit; waiters compare
  bool removed = false;
  bool monitored = false;  // a monitor thread waits on the shim
  // Attach requests made before start; start connects them to the shim before the process runs.
  struct PendingAttach {
    bool in = false, out = false, err = false;
    bool done = false;
    Result<UniqueFd> result = make_error(Code::kUnavailable, "container did not start");
  };
  std::vector<std::shared_ptr<PendingAttach>> pending_attaches;
};

}  // namespace berth::engine
