#include "base/digest.h"
#include "base/json.h"
#include "image/internal/image_record.h"
#include "model/image_file_json.h"

namespace berth::image::internal {
namespace {

int64_t json_int(const Json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

std::string record_to_json(const ImageRecord& rec) {
  Json layers = Json::array();
  for (auto& l : rec.layers)
    layers.push_back({{"digest", l.digest},
                      {"diff_id", l.diff_id},
                      {"media_type", l.media_type},
                      {"size", l.size},
                      {"uncompressed_size", l.uncompressed_size}});
  Json j = {{"id", rec.id},
            {"config_digest", rec.config_digest},
            {"manifest_digest", rec.manifest_digest},
            {"manifest_media_type", rec.manifest_media_type},
            {"layers", layers},
            {"repo_tags", rec.repo_tags},
            {"repo_digests", rec.repo_digests},
            {"created", rec.created}};
  if (!rec.parent.empty()) j["parent"] = rec.parent;
  return dump_json(j);
}

Result<ImageRecord> record_from_json(const std::string& text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "image record"));
  ImageRecord rec;
  rec.id = json_string(j, "id");
  rec.config_digest = json_string(j, "config_digest");
  rec.manifest_digest = json_string(j, "manifest_digest");
  rec.manifest_media_type = json_string(j, "manifest_media_type");
  rec.repo_tags = json_strings(j, "repo_tags");
  rec.repo_digests = json_strings(j, "repo_digests");
  rec.created = json_string(j, "created");
  rec.parent = json_string(j, "parent");
  if (j.contains("layers") && j["layers"].is_array()) {
    for (auto& l : j["layers"]) {
      rec.layers.push_back({json_string(l, "digest"), json_string(l, "diff_id"),
                            json_string(l, "media_type"), json_int(l, "size"),
                            json_int(l, "uncompressed_size")});
    }
  }
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
