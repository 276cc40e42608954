#include "cli/container/ps_format.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <utility>

#include "base/strings.h"
#include "cli/format/format.h"

namespace berth::cli {

namespace {

std::string ps_image(const model::ContainerSummary& c, bool trunc) {
  std::string image = c.image;
  if (image.empty()) return "<no image>";
  if (!trunc) return image;
  if (!c.image_id.empty() && truncate_id(c.image_id) == truncate_id(image))
    return truncate_id(image);
  size_t at = image.find('@');
  if (at != std::string::npos) image = image.substr(0, at);
  return familiar_image(image);
}

std::string ps_names(const model::ContainerSummary& c, bool trunc) {
  if (trunc) {
    for (const std::string& n : c.names) {
      std::string_view name = n;
      if (!name.empty() && name[0] == '/') name.remove_prefix(1);
      // The first name that is not a link ("other/alias").
      if (name.find('/') == std::string_view::npos) return std::string(name);
    }
  }
  std::vector<std::string> names;
  for (std::string n : c.names) {
    if (!n.empty() && n[0] == '/') n = n.substr(1);
    names.push_back(n);
  }
  return join(names, ",");
}

}  // namespace

std::string format_ports(const model::List<model::Port>& ports) {
  std::vector<std::string> out;
  for (const model::Port& p : ports) {
    std::string type = p.type.empty() ? "tcp" : p.type;
    std::string ip = p.ip;
    std::string s;
    if (p.public_port != 0) {
      if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
      s = (ip.empty() ? "" : ip + ":") + std::to_string(p.public_port) + "->" +
          std::to_string(p.private_port) + "/" + type;
    } else {
      s = std::to_string(p.private_port) + "/" + type;
    }
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return join(out, ", ");
}

std::vector<std::string> ps_row(const model::ContainerSummary& c, bool trunc, int64_t now_unix) {
  std::string command = c.command;
  if (trunc) command = ellipsis(command, 20);
  return {trunc ? truncate_id(c.id) : c.id,
          ps_image(c, trunc),
          go_quote(command),
          ago(c.created, now_unix),
          c.status,
          format_ports(c.ports),
          ps_names(c, trunc)};
}

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

OrderedJson ps_context(const model::ContainerSummary& c, bool trunc, int64_t now_unix,
                       const PsFields& fields) {
  std::vector<std::string> cells = ps_row(c, trunc, now_unix);  // ID IMAGE COMMAND ... NAMES
  OrderedJson row = OrderedJson::object();
  row["Command"] = std::move(cells[2]);
  if (fields.wants("CreatedAt")) row["CreatedAt"] = go_time_string(c.created);
  row["ID"] = std::move(cells[0]);
  row["Image"] = std::move(cells[1]);
  OrderedJson label_map = OrderedJson::object();
  if (fields.wants("Labels") || fields.wants("@Label")) {
    std::vector<std::string> labels;
    for (const auto& [key, value] : c.labels) {
      labels.push_back(key + "=" + value);
      label_map[key] = value;
    }
    std::sort(labels.begin(), labels.end());
    row["Labels"] = join(labels, ",");
  }
  if (fields.wants("Mounts") || fields.wants("LocalVolumes")) {
    std::vector<std::string> mounts;
    int local = 0;
    for (const model::MountPoint& m : c.mounts) {
      std::string name = m.name.empty() ? m.source : m.name;
      if (trunc) name = ellipsis(name, 15);
      mounts.push_back(name);
      if (m.driver == "local") ++local;
    }
    row["LocalVolumes"] = std::to_string(local);
    row["Mounts"] = join(mounts, ",");
  }
  row["Names"] = std::move(cells[6]);
  if (fields.wants("Networks")) {
    std::vector<std::string> networks;
    if (c.network_settings) {
      for (const auto& [name, endpoint] : c.network_settings->networks) networks.push_back(name);
    }
    std::sort(networks.begin(), networks.end());
    row["Networks"] = join(networks, ",");
  }
  row["Ports"] = std::move(cells[5]);
  row["RunningFor"] = std::move(cells[3]);
  if (fields.wants("Size")) {
    std::string size = human_size(static_cast<double>(c.size_rw), 3);
    if (c.size_root_fs > 0)
      size += " (virtual " + human_size(static_cast<double>(c.size_root_fs), 3) + ")";
    row["Size"] = size;
  }
  row["State"] = c.state;
  row["Status"] = std::move(cells[4]);
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
