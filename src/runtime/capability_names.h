// Linux capability names as the OCI spec and Docker spell them, in one table for the runtime (which
// applies them) and the engine (which validates --cap-add and builds --privileged's set).
#pragma once

#include <span>
#include <string_view>

namespace berth::runtime {

// "CAP_CHOWN", "CAP_DAC_OVERRIDE", ...: index i is the kernel's capability number i.
std::span<const std::string_view> capability_names();

// The kernel's number for a name with or without "CAP_" ("NET_ADMIN", "CAP_NET_ADMIN"); -1 when
// unknown. Case-sensitive, as the runtime spec is: the engine upper-cases Docker's input first.
int capability_number(std::string_view name);

}  // namespace berth::runtime
