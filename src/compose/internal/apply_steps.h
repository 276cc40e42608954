// The steps of up and down; internal to the compose library.
#pragma once

#include "compose/apply.h"

namespace berth::compose::internal {

Status ensure_networks(EngineApi& api, const Project& project, const ProgressFn& progress);
Status ensure_volumes(EngineApi& api, const Project& project, const ProgressFn& progress);
Status remove_networks(EngineApi& api, const Project& project, const ProgressFn& progress);
Status remove_volumes(EngineApi& api, const Project& project, const ProgressFn& progress);

}  // namespace berth::compose::internal
