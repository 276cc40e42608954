#include "base/time.h"
#include "volume/volume.h"

namespace berth::volume {

Json volume_json(const Volume& v) {
  Json labels = Json::object();
  for (auto& [k, val] : v.labels) labels[k] = val;
  Json options = Json::object();
  for (auto& [k, val] : v.options) options[k] = val;
  return Json{{"CreatedAt", format_rfc3339_nano(v.created - v.created % 1000000000LL)},
              {"Driver", v.driver},
              {"Labels", labels},
              {"Mountpoint", v.mountpoint},
              {"Name", v.name},
              {"Options", options},
              {"Scope", "local"}};
}

Json volume_to_record(const Volume& v) {
  return Json{{"name", v.name},          {"driver", v.driver}, {"mountpoint", v.mountpoint},
              {"created", v.created},    {"labels", v.labels}, {"options", v.options},
              {"anonymous", v.anonymous}};
}

Result<Volume> volume_from_record(const std::string& text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "volume record"));
  Volume v;
  v.name = json_string(j, "name");
  v.driver = json_string(j, "driver", "local");
  v.mountpoint = json_string(j, "mountpoint");
  v.created = j.value("created", int64_t{0});
  v.anonymous = j.value("anonymous", false);
  for (const char* key : {"labels", "options"}) {
    auto& out = std::string(key) == "labels" ? v.labels : v.options;
    if (j.contains(key) && j[key].is_object())
      for (auto& [k, val] : j[key].items())
        if (val.is_string()) out[k] = val.get<std::string>();
  }
  if (v.name.empty()) return make_error(Code::kDataLoss, "volume record without name");
  return v;
}

}  // namespace berth::volume
