// The store facade: open, lookups, tags and layer directories.
#include "image/image_store.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "base/digest.h"
#include "base/file.h"
#include "base/random_id.h"
#include "image/internal/local_store.h"
#include "image/layer_unpack.h"
#include "image/registry/http_client.h"
#include "image/registry/registry.h"

namespace berth::image {

using internal::ImageRecord;
using internal::LocalImageStore;
using store::Table;

Result<std::unique_ptr<ImageStore>> ImageStore::open(const std::string& data_root, store::Db& db) {
  BERTH_TRY(make_dirs(data_root));
  // A canonical root: layer extraction refuses to write through symlinks anywhere on its path.
  char real[PATH_MAX];
  if (!::realpath(data_root.c_str(), real)) return sys_error("resolve data root " + data_root);
  std::string root = real;
  BERTH_TRY_ASSIGN(ContentStore content, ContentStore::open(root + "/content"));
  auto store = std::make_unique<LocalImageStore>(root, db, std::move(content));
  BERTH_TRY(make_dirs(store->layers_root()));
  BERTH_TRY(make_dirs(store->tmp_root()));
  BERTH_TRY(make_dirs(store->links_root()));
  // Leftovers of interrupted loads and unpacks.
  if (auto entries = list_dir(store->tmp_root()); entries.ok())
    for (auto& e : *entries) (void)remove_all(store->tmp_root() + "/" + e);
  if (auto entries = list_dir(root + "/content/ingest"); entries.ok())
    for (auto& e : *entries) (void)remove_all(root + "/content/ingest/" + e);
  if (auto entries = list_dir(store->layers_root()); entries.ok())
    for (auto& e : *entries)
      if (e.compare(0, 5, ".tmp-") == 0) (void)remove_all(store->layers_root() + "/" + e);
  return std::unique_ptr<ImageStore>(std::move(store));
}

namespace internal {

namespace {
void add_unique(std::vector<std::string>& v, const std::string& s) {
  for (auto& x : v)
    if (x == s) return;
  v.push_back(s);
}
void remove_value(std::vector<std::string>& v, const std::string& s) { std::erase(v, s); }
}  // namespace

LocalImageStore::LocalImageStore(std::string data_root, store::Db& db, ContentStore content)
    : data_root_(std::move(data_root)),
      db_(db),
      content_(std::move(content)),
      http_(registry::HttpClient::create()) {}

LocalImageStore::~LocalImageStore() = default;

Result<ImageRecord> LocalImageStore::read_record(const std::string& id) {
  auto text = db_.get(Table::kImages, id);
  if (!text.ok()) {
    if (text.error().code == Code::kNotFound)
      return make_error(Code::kNotFound, "no such image: " + id);
    return std::move(text).error().context("read image " + id);
  }
  return record_from_json(*text);
}

Status LocalImageStore::record_image(ImageRecord rec, const std::vector<Reference>& tags) {
  return db_.transaction([&]() -> Status {
    ImageRecord merged = rec;
    if (auto old = db_.get(Table::kImages, rec.id); old.ok()) {
      BERTH_TRY_ASSIGN(ImageRecord prev, record_from_json(*old));
      merged.repo_tags = prev.repo_tags;
      merged.repo_digests = prev.repo_digests;
      if (merged.parent.empty()) merged.parent = prev.parent;
      for (auto& t : rec.repo_tags) add_unique(merged.repo_tags, t);
      for (auto& d : rec.repo_digests) add_unique(merged.repo_digests, d);
    }
    for (auto& ref : tags) {
      std::string key = ref.full();
      if (auto prev_id = db_.get(Table::kTags, key); prev_id.ok() && *prev_id != rec.id) {
        if (auto other = db_.get(Table::kImages, *prev_id); other.ok()) {
          BERTH_TRY_ASSIGN(ImageRecord o, record_from_json(*other));
          remove_value(o.repo_tags, key);
          remove_value(o.repo_digests, key);
          BERTH_TRY(db_.put(Table::kImages, o.id, record_to_json(o)));
        }
      }
      BERTH_TRY(db_.put(Table::kTags, key, rec.id));
      if (ref.digest.empty())
        add_unique(merged.repo_tags, key);
      else
        add_unique(merged.repo_digests, key);
    }
    return db_.put(Table::kImages, rec.id, record_to_json(merged));
  });
}

Result<std::string> LocalImageStore::resolve_id(const std::string& ref_or_id) {
  std::string s = ref_or_id;
  if (is_valid_digest(s)) {
    BERTH_TRY(read_record(s));
    return s;
  }
  if (auto ref = parse_reference(s); ref.ok()) {
    auto id = db_.get(Table::kTags, ref->full());
    if (id.ok()) return *id;
    if (id.error().code != Code::kNotFound) return std::move(id).error();
    if (!ref->digest.empty()) {
      // name@digest: the image whose manifest has that digest.
      BERTH_TRY_ASSIGN(auto rows, db_.list(Table::kImages));
      for (auto& [image_id, doc] : rows) {
        auto rec = record_from_json(doc);
        if (rec.ok() && rec->manifest_digest == ref->digest) return image_id;
      }
      return make_error(Code::kNotFound, "no such image: " + ref_or_id);
    }
  } else if (s.find_first_of("/:@") != std::string::npos && s.compare(0, 7, "sha256:") != 0) {
    return std::move(ref).error();
  }
  // A unique ID prefix.
  std::string prefix = s.compare(0, 7, "sha256:") == 0 ? s.substr(7) : s;
  bool hex = !prefix.empty() && prefix.size() <= 64 &&
             prefix.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (hex) {
    BERTH_TRY_ASSIGN(auto rows, db_.list(Table::kImages));
    std::string found;
    for (auto& [id, doc] : rows) {
      if (id.compare(7, prefix.size(), prefix) != 0) continue;
      if (!found.empty())
        return make_error(Code::kInvalidArgument, "ambiguous image ID prefix " + s);
      found = id;
    }
    if (!found.empty()) return found;
  }
  return make_error(Code::kNotFound, "no such image: " + ref_or_id);
}

Result<Image> LocalImageStore::to_image(const ImageRecord& rec) {
  BERTH_TRY_ASSIGN(std::string config, content_.read(rec.config_digest));
  BERTH_TRY_ASSIGN(Image img, image_from_config(config));
  img.id = rec.id;
  for (auto& t : rec.repo_tags)
    if (auto r = parse_reference(t); r.ok()) img.repo_tags.push_back(r->familiar());
  for (auto& d : rec.repo_digests)
    if (auto r = parse_reference(d); r.ok()) img.repo_digests.push_back(r->familiar());
  for (auto& l : rec.layers) img.size += l.uncompressed_size;
  img.parent = rec.parent;
  return img;
}

Result<Image> LocalImageStore::get(const std::string& ref_or_id) {
  BERTH_TRY_ASSIGN(std::string id, resolve_id(ref_or_id));
  BERTH_TRY_ASSIGN(ImageRecord rec, read_record(id));
  return to_image(rec);
}

Result<std::vector<Image>> LocalImageStore::list() {
  BERTH_TRY_ASSIGN(auto rows, db_.list(Table::kImages));
  std::vector<Image> out;
  for (auto& [id, doc] : rows) {
    BERTH_TRY_ASSIGN(ImageRecord rec, record_from_json(doc));
    BERTH_TRY_ASSIGN(Image img, to_image(rec));
    out.push_back(std::move(img));
  }
  return out;
}

Status LocalImageStore::tag(const std::string& image_id, const std::string& ref) {
  BERTH_TRY_ASSIGN(Reference r, parse_reference(ref));
  if (!r.digest.empty())
    return make_error(Code::kInvalidArgument, "refusing to create a tag with a digest reference");
  BERTH_TRY_ASSIGN(std::string id, resolve_id(image_id));
  BERTH_TRY_ASSIGN(ImageRecord rec, read_record(id));
  return record_image(std::move(rec), {r});
}

Status LocalImageStore::set_parent(const std::string& image_id, const std::string& parent_id) {
  return db_.transaction([&]() -> Status {
    BERTH_TRY_ASSIGN(std::string id, resolve_id(image_id));
    BERTH_TRY_ASSIGN(ImageRecord rec, read_record(id));
    rec.parent = parent_id;
    return db_.put(Table::kImages, rec.id, record_to_json(rec));
  });
}

void LocalImageStore::note_layer(const std::string& chain_id, const std::string& diff_id,
                                 const std::string& parent, int64_t size) {
  (void)db_.put(Table::kLayers, chain_id,
                "{\"diff_id\":\"" + diff_id + "\",\"parent\":\"" + parent +
                    "\",\"size\":" + std::to_string(size) + "}");
}

// Overlay takes its lower dirs in one mount option string, which the kernel caps at a page
// (4096 bytes): 100 layers of "<data-root>/layers/<64 hex>" do not fit.  Each layer gets a
// short link <data-root>/l/<12 hex> (Docker's l/ dir does the same), so a lower dir costs
// len(data-root) + 16 bytes, or 16 bytes when mounted relative to the data root.
Result<std::string> LocalImageStore::layer_link(const std::string& chain_id) {
  std::string hex = chain_id.substr(7);
  std::string link = links_root() + "/" + hex.substr(0, 12);
  std::string target = "../layers/" + hex;
  char buf[PATH_MAX];
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
  if (n >= 0 && std::string(buf, static_cast<size_t>(n)) == target) return link;
  if (n >= 0) return make_error(Code::kInternal, "layer link " + link + " names another layer");
  std::string tmp = link + ".tmp-" + random_hex_id().substr(0, 8);
  if (::symlink(target.c_str(), tmp.c_str()) != 0) return sys_error("symlink " + tmp);
  if (::rename(tmp.c_str(), link.c_str()) != 0) {
    (void)::unlink(tmp.c_str());
    return sys_error("rename " + tmp);
  }
  return link;
}

Result<std::vector<std::string>> LocalImageStore::layer_dirs(const Image& image) {
  BERTH_TRY_ASSIGN(ImageRecord rec, read_record(image.id));
  std::vector<std::string> diff_ids;
  for (auto& l : rec.layers) diff_ids.push_back(l.diff_id);
  auto chains = chain_ids(diff_ids);
  std::vector<std::string> dirs;
  for (size_t i = 0; i < rec.layers.size(); ++i) {
    if (is_foreign_layer(rec.layers[i].media_type)) continue;
    std::string dir = layer_dir(chains[i]);
    if (!is_directory(dir)) {
      auto size = unpack_layer(content_.blob_path(rec.layers[i].digest), diff_ids[i], dir);
      if (!size) return std::move(size).error().context("image " + image.id);
      note_layer(chains[i], diff_ids[i], i == 0 ? "" : chains[i - 1], *size);
    }
    BERTH_TRY_ASSIGN(std::string link, layer_link(chains[i]));
    dirs.push_back(link);
  }
  return std::vector<std::string>(dirs.rbegin(), dirs.rend());
}

}  // namespace internal
}  // namespace berth::image
