// The engine's in-memory record of one container (internal to engine/).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/engine.h"
#include "shim/shim_client.h"

namespace berth::engine {

struct Engine::AttachTicket {
  std::shared_ptr<Entry> entry;
  bool in = false, out = false, err = false;
  bool done = false;
  Result<UniqueFd> result = make_error(Code::kUnavailable, "container did not start");
};

struct Engine::Entry {
  Container c;
  uint64_t exit_generation = 0;  // bumped at every exit; waiters compare
  bool removed = false;
  bool monitored = false;  // a monitor thread waits on the shim
  // Attach requests made before start; start connects them to the shim before the process runs.
  std::vector<std::shared_ptr<AttachTicket>> pending_attaches;
  // Restart policy back-off: the next delay (ms), doubled per restart, reset after 10 s up.
  int restart_delay_ms = 0;
  uint64_t restart_token = 0;
  int temp_mounts = 0;  // calls that mounted a stopped container's rootfs (cp, export, diff)  // a
                        // scheduled restart runs only if this is unchanged
};

}  // namespace berth::engine
