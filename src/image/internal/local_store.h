// The ImageStore implementation.  Each operation lives in its own file: image_store.cpp (open,
// get, list, tag, layer_dirs), bootstrap.cpp, archive_load.cpp, archive_save.cpp.
// Thread-safety: records are read and written inside Db transactions (serialised by the Db);
// blobs and layer dirs are published by atomic renames.
#pragma once

#include <string>
#include <vector>

#include "image/content_store.h"
#include "image/image_store.h"
#include "image/internal/image_record.h"
#include "image/reference.h"

namespace berth::image::internal {

class LocalImageStore : public ImageStore {
 public:
  LocalImageStore(std::string data_root, store::Db& db, ContentStore content)
      : data_root_(std::move(data_root)), db_(db), content_(std::move(content)) {}

  Result<Image> bootstrap_busybox(const std::string& busybox_path, const std::string& tag) override;
  Result<Image> get(const std::string& ref_or_id) override;
  Result<std::vector<Image>> list() override;
  Result<std::vector<std::string>> layer_dirs(const Image& image) override;
  Result<std::vector<std::string>> load(int tar_fd, const ProgressFn& progress) override;
  Status save(const std::vector<std::string>& refs, int out_fd) override;
  Status tag(const std::string& image_id, const std::string& ref) override;

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

 private:
  std::string data_root_;
  store::Db& db_;
  ContentStore content_;
};

}  // namespace berth::image::internal
