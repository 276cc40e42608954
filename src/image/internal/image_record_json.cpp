#include "base/digest.h"
#include "base/json.h"
#include "image/internal/image_record.h"
#include "model/image_file_json.h"
#include "model/record_image_json.h"

namespace berth::image::internal {

std::string record_to_json(const ImageRecord& rec) {
  model::ImageStoreRecord r;
  r.id = rec.id;
  r.config_digest = rec.config_digest;
  r.manifest_digest = rec.manifest_digest;
  r.manifest_media_type = rec.manifest_media_type;
  r.layers.set_empty();
  for (auto& l : rec.layers) {
    model::ImageStoreLayer layer;
    layer.digest = l.digest;
    layer.diff_id = l.diff_id;
    layer.media_type = l.media_type;
    layer.size = l.size;
    layer.uncompressed_size = l.uncompressed_size;
    r.layers.push_back(std::move(layer));
  }
  r.repo_tags = rec.repo_tags;
  r.repo_digests = rec.repo_digests;
  r.created = rec.created;
  r.parent = rec.parent;
  return model::dump(r);
}

Result<ImageRecord> record_from_json(const std::string& text) {
  BERTH_TRY_ASSIGN(auto r, model::parse<model::ImageStoreRecord>(text, "image record"));
  ImageRecord rec;
  rec.id = r.id;
  rec.config_digest = r.config_digest;
  rec.manifest_digest = r.manifest_digest;
  rec.manifest_media_type = r.manifest_media_type;
  rec.repo_tags = r.repo_tags;
  rec.repo_digests = r.repo_digests;
  rec.created = r.created;
  rec.parent = r.parent;
  for (auto& l : r.layers)
    rec.layers.push_back({l.digest, l.diff_id, l.media_type, l.size, l.uncompressed_size});
  return rec;
}

Result<Image> image_from_config(const std::string& config_json) {
  BERTH_TRY_ASSIGN(Json j, parse_json(config_json, "image config"));
  if (!j.is_object()) return make_error(Code::kInvalidArgument, "image config is not an object");
  BERTH_TRY_ASSIGN(auto file, model::from_json<model::ImageConfigFile>(j));
  Image img;
  img.config_json = config_json;
  img.created = file.created;
  img.architecture = file.architecture;
  img.os = file.os;
  img.diff_ids = file.rootfs.diff_ids;
  if (file.config) {
    const model::ImageConfig& c = *file.config;
    img.config.env = c.env;
    img.config.cmd = c.cmd;
    img.config.entrypoint = c.entrypoint;
    img.config.working_dir = c.working_dir;
    img.config.user = c.user;
    img.config.stop_signal = c.stop_signal;
    img.config.labels = c.labels;
    for (auto& [port, _] : c.exposed_ports) img.config.exposed_ports.push_back(port);
    for (auto& [path, _] : c.volumes) img.config.volumes.push_back(path);
  }
  return img;
}

Result<std::vector<std::string>> config_diff_ids(const std::string& config_json) {
  BERTH_TRY_ASSIGN(Json j, parse_json(config_json, "image config"));
  if (!j.is_object() || !j.contains("rootfs") || !j["rootfs"].is_object())
    return make_error(Code::kInvalidArgument, "image config has no rootfs");
  BERTH_TRY_ASSIGN(auto file, model::from_json<model::ImageConfigFile>(j));
  std::vector<std::string> ids = file.rootfs.diff_ids;
  for (auto& id : ids)
    if (!is_valid_digest(id)) return make_error(Code::kInvalidArgument, "bad diff_id " + id);
  return ids;
}

}  // namespace berth::image::internal
