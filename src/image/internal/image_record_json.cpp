#include "base/digest.h"
#include "base/json.h"
#include "image/internal/image_record.h"

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
  Image img;
  img.config_json = config_json;
  img.created = json_string(j, "created");
  img.architecture = json_string(j, "architecture");
  img.os = json_string(j, "os");
  if (j.contains("rootfs")) img.diff_ids = json_strings(j["rootfs"], "diff_ids");
  if (j.contains("config") && j["config"].is_object()) {
    const Json& c = j["config"];
    img.config.env = json_strings(c, "Env");
    img.config.cmd = json_strings(c, "Cmd");
    img.config.entrypoint = json_strings(c, "Entrypoint");
    img.config.working_dir = json_string(c, "WorkingDir");
    img.config.user = json_string(c, "User");
    img.config.stop_signal = json_string(c, "StopSignal");
    if (c.contains("Labels") && c["Labels"].is_object())
      for (auto& [k, v] : c["Labels"].items())
        if (v.is_string()) img.config.labels[k] = v.get<std::string>();
    if (c.contains("ExposedPorts") && c["ExposedPorts"].is_object())
      for (auto& [k, v] : c["ExposedPorts"].items()) img.config.exposed_ports.push_back(k);
    if (c.contains("Volumes") && c["Volumes"].is_object())
      for (auto& [k, v] : c["Volumes"].items()) img.config.volumes.push_back(k);
  }
  return img;
}

Result<std::vector<std::string>> config_diff_ids(const std::string& config_json) {
  BERTH_TRY_ASSIGN(Json j, parse_json(config_json, "image config"));
  if (!j.is_object() || !j.contains("rootfs") || !j["rootfs"].is_object())
    return make_error(Code::kInvalidArgument, "image config has no rootfs");
  auto ids = json_strings(j["rootfs"], "diff_ids");
  for (auto& id : ids)
    if (!is_valid_digest(id)) return make_error(Code::kInvalidArgument, "bad diff_id " + id);
  return ids;
}

}  // namespace berth::image::internal
