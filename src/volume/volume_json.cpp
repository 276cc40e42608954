// Volumes as Docker shows them and as the store persists them: both through the typed model.
#include "model/volume_json.h"

#include "base/time.h"
#include "model/record_volume_json.h"
#include "volume/volume.h"

namespace berth::volume {

namespace {
model::Map<std::string> string_map(const std::map<std::string, std::string>& m) {
  model::Map<std::string> out = m;  // `{}` when empty, as Docker writes Labels and Options
  return out;
}
}  // namespace

model::Volume volume_view(const Volume& v) {
  model::Volume out;
  out.created_at = format_rfc3339_nano(v.created - v.created % 1000000000LL);
  out.driver = v.driver;
  out.labels = string_map(v.labels);
  out.mountpoint = v.mountpoint;
  out.name = v.name;
  out.options = string_map(v.options);
  out.scope = "local";
  return out;
}

std::string volume_to_record(const Volume& v) {
  model::VolumeRecord r;
  r.name = v.name;
  r.driver = v.driver;
  r.mountpoint = v.mountpoint;
  r.created = v.created;
  r.labels = string_map(v.labels);
  r.options = string_map(v.options);
  r.anonymous = v.anonymous;
  return model::dump(r);
}

Result<Volume> volume_from_record(const std::string& text) {
  BERTH_TRY_ASSIGN(model::VolumeRecord r, model::parse<model::VolumeRecord>(text, "volume record"));
  Volume v;
  v.name = r.name;
  v.driver = r.driver.empty() ? "local" : r.driver;
  v.mountpoint = r.mountpoint;
  v.created = r.created;
  v.anonymous = r.anonymous;
  v.labels = r.labels;
  v.options = r.options;
  if (v.name.empty()) return make_error(Code::kDataLoss, "volume record without name");
  return v;
}

}  // namespace berth::volume
