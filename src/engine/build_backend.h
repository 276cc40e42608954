// The engine's side of the builder: builder::Backend over the Engine (RUN steps as real containers
// of the step's image, image mounts for COPY, the build cache in the metadata database).
// Thread-safe as the Engine is.
#pragma once

#include <memory>

#include "builder/builder.h"
#include "engine/engine.h"

namespace berth::engine {

std::unique_ptr<builder::Backend> make_build_backend(Engine& engine);

}  // namespace berth::engine
