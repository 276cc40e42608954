// --cache-from sources (see cache_from.cpp).  Internal to src/build.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "builder/builder.h"
#include "model/image.h"

namespace berth::builder::internal {

struct CacheSource {
  std::string id;
  std::vector<Json> history;  // the config's history entries
  std::vector<std::string> diff_ids;
};

// The images `refs` name that exist locally (others are skipped, as dockerd does).
std::vector<CacheSource> load_cache_sources(Backend& backend, const std::vector<std::string>& refs);

// The image a --cache-from source offers for the step `created_by` on `parent_id` ("" =
// scratch) giving the container config `config`; "" for none.  A hit may commit a restored
// image and narrows `sources` to the one that hit.
Result<std::string> cache_from_lookup(Backend& backend, std::vector<CacheSource>& sources,
                                      const std::string& parent_id, const std::string& created_by,
                                      const model::ImageConfig& config);

}  // namespace berth::builder::internal
