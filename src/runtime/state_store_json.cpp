#include "base/json.h"
#include "runtime/internal/state_store.h"

namespace berth::runtime {

std::string record_to_json(const ContainerRecord& r) {
  Json j = {{"id", r.id},          {"pid", r.pid},       {"start_time", r.start_time},
            {"bundle", r.bundle},  {"rootfs", r.rootfs}, {"cgroups_path", r.cgroups_path},
            {"created", r.created}};
  if (!r.annotations.empty()) j["annotations"] = r.annotations;
  return dump_json(j);
}

Result<ContainerRecord> record_from_json(const std::string& text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "container state"));
  try {
    ContainerRecord r;
    r.id = j.at("id").get<std::string>();
    r.pid = j.at("pid").get<pid_t>();
    r.start_time = j.at("start_time").get<uint64_t>();
    r.bundle = j.value("bundle", "");
    r.rootfs = j.value("rootfs", "");
    r.cgroups_path = j.value("cgroups_path", "");
    r.created = j.value("created", int64_t{0});
    if (j.contains("annotations"))
      r.annotations = j["annotations"].get<std::map<std::string, std::string>>();
    return r;
  } catch (const Json::exception& e) {
    return make_error(Code::kDataLoss, std::string("container state: ") + e.what());
  }
}

}  // namespace berth::runtime
