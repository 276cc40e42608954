// exit.json in the shim's state dir: {"exit_code":N,"finished_at":<unix nanos>,"oom_killed":b}.
#pragma once

#include <string>

#include "base/error.h"
#include "shim/shim_client.h"

namespace berth::shim {

std::string exit_status_to_json(const ExitStatus& status);
Result<ExitStatus> exit_status_from_json(const std::string& text);
Status write_exit_file(const std::string& state_dir, const ExitStatus& status);

}  // namespace berth::shim
