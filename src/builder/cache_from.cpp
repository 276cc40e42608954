// --cache-from: images (local, loaded or pulled beforehand) whose history and layers stand in
// for the build cache, as in Docker's classic builder (daemon/images/cache.go): a step hits when
// the current image's history and layers are a prefix of a source's and the source's next
// history entry has the step's created_by.  The hit is the source itself when that entry is
// its last, else an image restored from the parent plus that entry and its layer (already in
// the store, nothing runs or copies).  Sources are read once per build.
#include "builder/internal/cache_from.h"

#include "base/json.h"
#include "model/image_json.h"

namespace berth::builder::internal {
namespace {

struct History {
  Json entries = Json::array();
  std::vector<std::string> diff_ids;
};

Result<History> history_of(Backend& backend, const std::string& image_id) {
  History h;
  if (image_id.empty()) return h;
  BERTH_TRY_ASSIGN(image::Image img, backend.images().get(image_id));
  BERTH_TRY_ASSIGN(Json cfg, parse_json(img.config_json, "image config " + image_id));
  if (cfg.contains("history") && cfg["history"].is_array()) h.entries = cfg["history"];
  h.diff_ids = img.diff_ids;
  return h;
}

bool empty_layer(const Json& entry) {
  return entry.is_object() && entry.value("empty_layer", false);
}

// The source extends `parent`: its history and layers start with the parent's.
bool extends(const CacheSource& source, const History& parent) {
  if (source.history.empty()) return false;
  if (parent.entries.empty() && parent.diff_ids.empty()) return true;
  if (parent.entries.size() >= source.history.size()) return false;
  if (parent.diff_ids.size() > source.diff_ids.size()) return false;
  for (size_t i = 0; i < parent.entries.size(); ++i)
    if (parent.entries[i] != source.history[i]) return false;
  for (size_t i = 0; i < parent.diff_ids.size(); ++i)
    if (parent.diff_ids[i] != source.diff_ids[i]) return false;
  return true;
}

}  // namespace

std::vector<CacheSource> load_cache_sources(Backend& backend,
                                            const std::vector<std::string>& refs) {
  std::vector<CacheSource> out;
  for (auto& ref : refs) {
    auto img = backend.images().get(ref);
    if (!img) continue;  // dockerd skips (and logs) a source it cannot find
    auto h = history_of(backend, img->id);
    if (!h) continue;
    CacheSource s;
    s.id = img->id;
    for (auto& e : h->entries) s.history.push_back(e);
    s.diff_ids = h->diff_ids;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::string> cache_from_lookup(Backend& backend, std::vector<CacheSource>& sources,
                                      const std::string& parent_id, const std::string& created_by,
                                      const model::ImageConfig& config) {
  if (sources.empty()) return std::string();
  BERTH_TRY_ASSIGN(History parent, history_of(backend, parent_id));
  size_t n = parent.entries.size();
  for (auto& source : sources) {
    if (!extends(source, parent)) continue;
    const Json& entry = source.history[n];
    if (json_string(entry, "created_by") != created_by) continue;
    if (source.history.size() - 1 == n) {
      if (!parent_id.empty()) BERTH_TRY(backend.images().set_parent(source.id, parent_id));
      return source.id;
    }
    image::CommitOptions co;
    co.parent = parent_id;
    co.config_json = model::dump(config);
    co.history_entry = dump_json(entry);
    if (!empty_layer(entry)) {
      int layer = 0;
      for (size_t i = 0; i < n; ++i)
        if (!empty_layer(source.history[i])) ++layer;
      co.reuse_layer_of = source.id;
      co.reuse_layer_index = layer;
    }
    BERTH_TRY_ASSIGN(image::Image img, backend.images().commit(co));
    // Stay on this source from now on (dockerd does the same, so steps never mix sources).
    CacheSource keep = source;
    sources = {std::move(keep)};
    return img.id;
  }
  return std::string();
}

}  // namespace berth::builder::internal
