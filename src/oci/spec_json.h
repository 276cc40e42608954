// config.json and state.json <-> oci types.  Parsing is strict about types (a string where a
// number belongs is InvalidArgument naming the field) and lenient about unknown members, which
// are ignored as the runtime-spec requires.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "oci/spec.h"

namespace berth::oci {

Result<Spec> parse_spec(std::string_view text);
std::string spec_to_json(const Spec& spec, bool pretty = false);
Result<Spec> load_spec(const std::string& config_json_path);

// A process object alone (`runc exec --process process.json`).
Result<Process> parse_process(std::string_view text);
std::string process_to_json(const Process& process);
// linux.seccomp alone, as it appears in config.json.
Result<Seccomp> parse_seccomp(std::string_view text);
std::string seccomp_to_json(const Seccomp& seccomp);

Result<State> parse_state(std::string_view text);
std::string state_to_json(const State& state, bool pretty = false);

// The config.json `runc spec` writes: sh in a rootfs/ dir, the usual mounts and namespaces.
Spec default_spec();

}  // namespace berth::oci
