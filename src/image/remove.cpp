// Image removal (Docker's rules: daemon/images/image_delete.go), history and disk usage.
// Deleting an image removes the blobs and unpacked layers no other image uses, under the
// exclusive side of gc_mu_ so no pull is relying on them meanwhile.
#include <unistd.h>

#include <set>

#include "base/file.h"
#include "base/json.h"
#include "base/time.h"
#include "image/internal/local_store.h"
#include "image/layer_unpack.h"
#include "model/image_file_json.h"

namespace berth::image::internal {

using store::Table;

namespace {

std::string short_image_id(const std::string& id) { return id.substr(7, 12); }

std::vector<std::string> layer_chains(const ImageRecord& rec) {
  std::vector<std::string> diff_ids;
  for (auto& l : rec.layers) diff_ids.push_back(l.diff_id);
  return chain_ids(diff_ids);
}

}  // namespace

Result<std::vector<RemoveItem>> LocalImageStore::remove(const std::string& ref_or_id,
                                                        const RemoveOptions& options) {
  std::string parent;
  BERTH_TRY_ASSIGN(auto items, remove_one(ref_or_id, options, &parent));
  if (options.noprune) return items;
  // Docker's prune of parents: each untagged parent left without children and unused goes too;
  // the first one that must stay ends the walk (never an error).
  RemoveOptions soft = options;
  soft.force = false;
  while (!parent.empty()) {
    auto rec = read_record(parent);
    if (!rec || !rec->repo_tags.empty() || !rec->repo_digests.empty()) break;
    if (options.users && !options.users(parent).empty()) break;
    std::string next;  // a parent with other children refuses (remove_one), ending the walk
    auto more = remove_one(parent, soft, &next);
    if (!more) break;
    items.insert(items.end(), more->begin(), more->end());
    parent = next;
  }
  return items;
}

Result<std::vector<RemoveItem>> LocalImageStore::remove_one(const std::string& ref_or_id,
                                                            const RemoveOptions& options,
                                                            std::string* parent) {
  std::unique_lock gc(gc_mu_);
  BERTH_TRY_ASSIGN(std::string id, resolve_id(ref_or_id));
  BERTH_TRY_ASSIGN(ImageRecord rec, read_record(id));
  std::vector<RemoveItem> items;
  std::vector<std::pair<std::string, bool>> users;
  if (options.users) users = options.users(id);
  bool running = false;
  for (auto& u : users) running = running || u.second;
  bool has_children = false;  // images built on this one (their Parent)
  {
    BERTH_TRY_ASSIGN(auto rows, db_.list(Table::kImages));
    for (auto& [other_id, doc] : rows)
      if (auto o = record_from_json(doc); o && o->parent == id) has_children = true;
  }

  // A name that is one of the image's references: untag it.
  std::string named;
  if (auto r = parse_reference(ref_or_id); r.ok()) {
    std::string key = r->full();
    for (auto& t : rec.repo_tags)
      if (t == key) named = key;
    for (auto& d : rec.repo_digests)
      if (d == key) named = key;
  }
  auto untag = [&](const std::string& key) -> Status {
    BERTH_TRY(db_.remove(Table::kTags, key));
    std::erase(rec.repo_tags, key);
    std::erase(rec.repo_digests, key);
    auto r = parse_reference(key);
    items.push_back({false, r ? r->familiar() : key});
    return ok_status();
  };

  if (!named.empty()) {
    BERTH_TRY_ASSIGN(Reference r, parse_reference(named));
    BERTH_TRY(db_.transaction([&]() -> Status {
      BERTH_TRY(untag(named));
      // The repository's last tag takes its digest references with it.
      bool repo_tagged = false;
      for (auto& t : rec.repo_tags)
        if (auto p = parse_reference(t); p && p->name() == r.name()) repo_tagged = true;
      if (!repo_tagged) {
        for (auto d : std::vector<std::string>(rec.repo_digests))
          if (auto p = parse_reference(d); p && p->name() == r.name()) BERTH_TRY(untag(d));
      }
      return db_.put(Table::kImages, rec.id, record_to_json(rec));
    }));
    // Untagging is all when the image keeps a name, a user or children (dockerd's quiet
    // conflicts after removing a reference).
    if (!rec.repo_tags.empty() || !rec.repo_digests.empty() || !users.empty() || has_children)
      return items;
  } else {
    std::set<std::string> repos;
    for (auto& t : rec.repo_tags)
      if (auto p = parse_reference(t)) repos.insert(p->name());
    if (running)
      return make_error(Code::kConflict, "conflict: unable to delete " + short_image_id(id) +
                                             " (cannot be forced) - image is being used by "
                                             "running container " +
                                             users.front().first.substr(0, 12));
    if (!users.empty() && !options.force)
      return make_error(Code::kConflict, "conflict: unable to delete " + short_image_id(id) +
                                             " (must be forced) - image is being used by "
                                             "stopped container " +
                                             users.front().first.substr(0, 12));
    if (repos.size() > 1 && !options.force)
      return make_error(Code::kConflict, "conflict: unable to delete " + short_image_id(id) +
                                             " (must be forced) - image is referenced in "
                                             "multiple repositories");
    if (has_children)
      return make_error(Code::kConflict, "conflict: unable to delete " + short_image_id(id) +
                                             " (cannot be forced) - image has dependent child "
                                             "images");
    BERTH_TRY(db_.transaction([&]() -> Status {
      for (auto t : std::vector<std::string>(rec.repo_tags)) BERTH_TRY(untag(t));
      for (auto d : std::vector<std::string>(rec.repo_digests)) BERTH_TRY(untag(d));
      return db_.put(Table::kImages, rec.id, record_to_json(rec));
    }));
  }

  // Delete the image, then whatever only it used.
  BERTH_TRY_ASSIGN(auto rows, db_.list(Table::kImages));
  std::set<std::string> blobs_in_use, chains_in_use;
  for (auto& [other_id, doc] : rows) {
    if (other_id == id) continue;
    auto o = record_from_json(doc);
    if (!o) continue;
    blobs_in_use.insert(o->config_digest);
    blobs_in_use.insert(o->manifest_digest);
    for (auto& d : o->repo_digests)
      if (auto p = parse_reference(d)) blobs_in_use.insert(p->digest);
    for (auto& l : o->layers) blobs_in_use.insert(l.digest);
    for (auto& c : layer_chains(*o)) chains_in_use.insert(c);
  }
  BERTH_TRY(db_.remove(Table::kImages, id));
  items.push_back({true, id});
  *parent = rec.parent;
  if (options.noprune) return items;
  auto drop_blob = [&](const std::string& digest) {
    if (digest.empty() || blobs_in_use.count(digest) || !is_valid_digest(digest)) return;
    (void)::unlink(content_.blob_path(digest).c_str());
  };
  drop_blob(rec.config_digest);
  drop_blob(rec.manifest_digest);
  for (auto& l : rec.layers) drop_blob(l.digest);
  // An index pulled by tag is named by the digest refs just removed: read them from the record
  // before untagging is not needed, the index blob is small and kept until an image names it.
  auto chains = layer_chains(rec);
  for (auto& c : chains) {
    if (chains_in_use.count(c)) continue;
    std::string link = links_root() + "/" + c.substr(7, 12);
    (void)::unlink(link.c_str());
    (void)remove_all(layer_dir(c));
    (void)db_.remove(Table::kLayers, c);
  }
  return items;
}

Result<std::vector<HistoryEntry>> LocalImageStore::history(const std::string& ref_or_id) {
  BERTH_TRY_ASSIGN(std::string id, resolve_id(ref_or_id));
  BERTH_TRY_ASSIGN(ImageRecord rec, read_record(id));
  BERTH_TRY_ASSIGN(Image img, to_image(rec));
  BERTH_TRY_ASSIGN(auto cfg, model::parse<model::ImageConfigFile>(img.config_json, "image config"));
  std::vector<HistoryEntry> out;
  size_t layer = 0;
  for (auto& h : cfg.history) {
    HistoryEntry e;
    e.id = "<missing>";
    int64_t t = 0;
    if (parse_rfc3339(h.created, &t)) e.created = t / 1000000000LL;
    e.created_by = h.created_by;
    e.comment = h.comment;
    if (!h.empty_layer && layer < rec.layers.size()) e.size = rec.layers[layer++].uncompressed_size;
    out.push_back(e);
  }
  // Layers the history does not describe.
  for (; layer < rec.layers.size(); ++layer) {
    HistoryEntry e;
    e.id = "<missing>";
    e.size = rec.layers[layer].uncompressed_size;
    out.push_back(e);
  }
  std::reverse(out.begin(), out.end());
  if (out.empty()) out.push_back(HistoryEntry{});
  out.front().id = id;
  out.front().tags = img.repo_tags;
  return out;
}

Result<int64_t> LocalImageStore::layers_size() {
  BERTH_TRY_ASSIGN(auto rows, db_.list(Table::kImages));
  std::map<std::string, int64_t> sizes;
  for (auto& [id, doc] : rows) {
    auto r = record_from_json(doc);
    if (!r) continue;
    auto chains = layer_chains(*r);
    for (size_t i = 0; i < chains.size(); ++i) sizes[chains[i]] = r->layers[i].uncompressed_size;
  }
  int64_t total = 0;
  for (auto& [c, s] : sizes) total += s;
  return total;
}

}  // namespace berth::image::internal
