// Routes that reach registries or remove images: /images/create (pull), /images/{name}/push,
// DELETE /images/{name}, /images/{name}/history, /images/prune, /images/search, /auth,
// /system/df, /distribution/{name}/json.  Registered by add_image_routes.
#pragma once

#include "api/server/router.h"
#include "engine/engine.h"

namespace berth::api::server {

void add_image_registry_routes(Router& router, engine::Engine& engine);

}  // namespace berth::api::server
