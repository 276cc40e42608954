#include "cli/container/ps_format.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "base/strings.h"
#include "cli/format/format.h"

namespace berth::cli {

namespace {

int64_t int_field(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return 0;
  return j[key].is_number_integer() ? j[key].get<int64_t>()
                                    : static_cast<int64_t>(j[key].get<double>());
}

}  // namespace

std::string go_time_string(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  localtime_r(&t, &tm);
  char buf[96];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z %Z", &tm);
  return buf;
}

PsFields ps_fields(const std::string& body) {
  PsFields f;
  f.all = false;
  auto ident = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '.') continue;
    size_t j = i + 1;
    while (j < body.size() && ident(body[j])) ++j;
    if (j == i + 1) {
      f.all = true;  // `.` alone: the whole row
      break;
    }
    f.names.insert(body.substr(i + 1, j - i - 1));
    i = j - 1;
  }
  // .Label "k" reads the label map.
  if (f.names.count("Label")) f.names.insert("@Label");
  return f;
}

OrderedJson ps_context(const Json& c, bool trunc, int64_t now_unix, const PsFields& fields) {
  std::vector<std::string> cells = ps_row(c, trunc, now_unix);  // ID IMAGE COMMAND ... NAMES
  OrderedJson row = OrderedJson::object();
  row["Command"] = cells[2];
  if (fields.wants("CreatedAt")) row["CreatedAt"] = go_time_string(int_field(c, "Created"));
  row["ID"] = cells[0];
  row["Image"] = cells[1];
  OrderedJson label_map = OrderedJson::object();
  if (fields.wants("Labels") || fields.wants("@Label")) {
    std::vector<std::string> labels;
    if (c.contains("Labels") && c["Labels"].is_object()) {
      for (auto it = c["Labels"].begin(); it != c["Labels"].end(); ++it) {
        std::string v = it.value().is_string() ? it.value().get<std::string>() : "";
        labels.push_back(it.key() + "=" + v);
        label_map[it.key()] = v;
      }
    }
    std::sort(labels.begin(), labels.end());
    row["Labels"] = join(labels, ",");
  }
  if (fields.wants("Mounts") || fields.wants("LocalVolumes")) {
    std::vector<std::string> mounts;
    int local = 0;
    if (c.contains("Mounts") && c["Mounts"].is_array()) {
      for (const Json& m : c["Mounts"]) {
        std::string name = json_string(m, "Name");
        if (name.empty()) name = json_string(m, "Source");
        if (trunc) name = ellipsis(name, 15);
        mounts.push_back(name);
        if (json_string(m, "Driver") == "local") ++local;
      }
    }
    row["LocalVolumes"] = std::to_string(local);
    row["Mounts"] = join(mounts, ",");
  }
  row["Names"] = cells[6];
  if (fields.wants("Networks")) {
    std::vector<std::string> networks;
    if (c.contains("NetworkSettings") && c["NetworkSettings"].is_object()) {
      const Json& ns = c["NetworkSettings"];
      if (ns.contains("Networks") && ns["Networks"].is_object()) {
        for (auto it = ns["Networks"].begin(); it != ns["Networks"].end(); ++it)
          networks.push_back(it.key());
      }
    }
    std::sort(networks.begin(), networks.end());
    row["Networks"] = join(networks, ",");
  }
  row["Ports"] = cells[5];
  row["RunningFor"] = cells[3];
  if (fields.wants("Size")) {
    int64_t rw = int_field(c, "SizeRw"), root = int_field(c, "SizeRootFs");
    std::string size = human_size(static_cast<double>(rw), 3);
    if (root > 0) size += " (virtual " + human_size(static_cast<double>(root), 3) + ")";
    row["Size"] = size;
  }
  row["State"] = json_string(c, "State");
  row["Status"] = cells[4];
  if (fields.wants("@Label")) row["@Label"] = label_map;
  return row;
}

OrderedJson ps_header_context() {
  return {{"ID", "CONTAINER ID"},
          {"Image", "IMAGE"},
          {"Command", "COMMAND"},
          {"CreatedAt", "CREATED AT"},
          {"RunningFor", "CREATED"},
          {"Ports", "PORTS"},
          {"State", "STATE"},
          {"Status", "STATUS"},
          {"Size", "SIZE"},
          {"Names", "NAMES"},
          {"Labels", "LABELS"},
          {"Mounts", "MOUNTS"},
          {"LocalVolumes", "LOCAL VOLUMES"},
          {"Networks", "NETWORKS"},
          {"Platform", "PLATFORM"}};
}

}  // namespace berth::cli
