// The ImageStore implementation.  Each operation lives in its own file: image_store.cpp (open,
// get, list, tag, layer_dirs), bootstrap.cpp, archive_load.cpp, archive_save.cpp.
// Thread-safety: records are read and written inside Db transactions (serialised by the Db);
// blobs and layer dirs are published by atomic renames.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "image/content_store.h"
#include "image/image_store.h"
#include "image/internal/image_record.h"
#include "image/reference.h"

namespace berth::image::registry {
class HttpClient;
class Registry;
}  // namespace berth::image::registry

namespace berth::image::internal {

class LocalImageStore : public ImageStore {
 public:
  LocalImageStore(std::string data_root, store::Db& db, ContentStore content);
  ~LocalImageStore() override;

  Result<Image> bootstrap_busybox(const std::string& busybox_path, const std::string& tag) override;
  Result<Image> get(const std::string& ref_or_id) override;
  Result<std::vector<Image>> list() override;
  Result<std::vector<std::string>> layer_dirs(const Image& image) override;
  Result<std::vector<std::string>> load(int tar_fd, const ProgressFn& progress) override;
  Status save(const std::vector<std::string>& refs, int out_fd) override;
  Status tag(const std::string& image_id, const std::string& ref) override;
  Result<Image> commit(const CommitOptions& options) override;
  Status set_parent(const std::string& image_id, const std::string& parent_id) override;
  void set_registry_settings(const RegistrySettings& settings) override;
  Result<Image> pull(const std::string& ref, const PullOptions& options,
                     const EventFn& progress) override;
  Result<std::string> push(const std::string& ref, const RegistryAuth& auth,
                           const EventFn& progress) override;
  Status login(const std::string& server, const RegistryAuth& auth) override;
  Result<DistributionInfo> distribution(const std::string& ref, const RegistryAuth& auth) override;
  Result<std::vector<RemoveItem>> remove(const std::string& ref_or_id,
                                         const RemoveOptions& options) override;
  // remove() without the prune of parents; `parent`: the deleted image's parent ("" when
  // nothing was deleted).
  Result<std::vector<RemoveItem>> remove_one(const std::string& ref_or_id,
                                             const RemoveOptions& options, std::string* parent);
  Result<std::vector<HistoryEntry>> history(const std::string& ref_or_id) override;
  Result<int64_t> layers_size() override;

  // A client for `domain` with `auth` (or the daemon user's stored credentials).
  std::unique_ptr<registry::Registry> registry_for(const std::string& domain,
                                                   const RegistryAuth& auth);
  // The short link <data-root>/l/<id> -> ../layers/<chain-hex> for a layer dir, made if absent.
  Result<std::string> layer_link(const std::string& chain_id);
  std::string layer_dir(const std::string& chain_id) const {
    return layers_root() + "/" + chain_id.substr(7);
  }
  // Records the unpacked layer (diff ID, parent, uncompressed size) in kLayers.
  void note_layer(const std::string& chain_id, const std::string& diff_id,
                  const std::string& parent, int64_t size);

  // Records `rec` and points each of `tags` at it (moving them from other images), in one
  // transaction.  REQUIRES: every blob of `rec` is in the content store.
  Status record_image(ImageRecord rec, const std::vector<Reference>& tags);
  Result<ImageRecord> read_record(const std::string& id);
  // The image ID `ref_or_id` names (see ImageStore::get).
  Result<std::string> resolve_id(const std::string& ref_or_id);
  Result<Image> to_image(const ImageRecord& rec);

  const ContentStore& content() const { return content_; }
  std::string layers_root() const { return data_root_ + "/layers"; }
  std::string tmp_root() const { return data_root_ + "/tmp"; }
  std::string links_root() const { return data_root_ + "/l"; }

 private:
  std::string data_root_;
  store::Db& db_;
  ContentStore content_;
  // Pulls take it shared, removals exclusive: a removal never deletes a blob or layer that a
  // running pull found present.
  std::shared_mutex gc_mu_;
  std::mutex settings_mu_;
  RegistrySettings settings_;
  std::unique_ptr<registry::HttpClient> http_;
};

}  // namespace berth::image::internal
