// berth image history [-H] [--no-trunc] [-q] [--format] IMAGE, berth image prune [-a] [-f]
// [--filter], berth system df.
#include <ctime>

#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/format/format.h"
#include "cli/image/image_format.h"

namespace berth::cli {

int cmd_image_history(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("human", 'H', "Print sizes and dates in human readable format (default true)");
  flags.add_bool("no-trunc", 0, "Don't truncate output");
  flags.add_bool("quiet", 'q', "Only show image IDs");
  flags.add_string("format", 0, "", "Format output using a custom template");
  int rc = parse_flags(flags, "history", "history [OPTIONS] IMAGE", args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1)
    return flag_error("history", make_error(Code::kInvalidArgument,
                                            "\"berth history\" requires exactly 1 argument."));
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("GET", "/images/" + flags.args()[0] + "/history");
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto list = parse_body(resp->body, "history");
  if (!list || !list->is_array()) return 1;
  bool trunc = !flags.get_bool("no-trunc");
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  std::string out;
  if (flags.get_bool("quiet")) {
    for (auto& h : *list) {
      std::string id = json_string(h, "Id");
      out += (trunc && id != "<missing>" ? truncate_id(id) : id) + "\n";
    }
    (void)write_all(1, out);
    return 0;
  }
  std::vector<OrderedJson> rows;
  for (auto& h : *list) {
    std::string id = json_string(h, "Id");
    std::string by = json_string(h, "CreatedBy");
    if (trunc) by = ellipsis(by, 45);
    OrderedJson row;
    row["ID"] = trunc && id != "<missing>" ? truncate_id(id) : id;
    row["CreatedSince"] = ago(h.value("Created", int64_t{0}), now);
    row["CreatedAt"] = std::to_string(h.value("Created", int64_t{0}));
    row["CreatedBy"] = by;
    row["Size"] = human_size(static_cast<double>(h.value("Size", int64_t{0})), 3);
    row["Comment"] = json_string(h, "Comment");
    rows.push_back(row);
  }
  OrderedJson header;
  header["ID"] = "IMAGE";
  header["CreatedSince"] = "CREATED";
  header["CreatedAt"] = "CREATED AT";
  header["CreatedBy"] = "CREATED BY";
  header["Size"] = "SIZE";
  header["Comment"] = "COMMENT";
  auto text = format_image_rows(
      flags.get_string("format"),
      "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}", header, rows);
  if (!text) {
    print_error(text.error().message);
    return 1;
  }
  (void)write_all(1, *text);
  return 0;
}

int cmd_image_prune(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("all", 'a', "Remove all unused images, not just dangling ones");
  flags.add_bool("force", 'f', "Do not prompt for confirmation");
  flags.add_list("filter", 0, "Provide filter values (e.g. \"until=<timestamp>\")");
  int rc = parse_flags(flags, "image prune", "image prune [OPTIONS]", args);
  if (rc >= 0) return rc;
  if (!flags.get_bool("force")) {
    (void)write_all(1, flags.get_bool("all")
                           ? "WARNING! This will remove all images without at least one "
                             "container associated to them.\nAre you sure you want to continue? "
                             "[y/N] "
                           : "WARNING! This will remove all dangling images.\nAre you sure you "
                             "want to continue? [y/N] ");
    std::string answer;
    char c;
    while (::read(0, &c, 1) == 1 && c != '\n') answer += c;
    if (answer != "y" && answer != "Y" && answer != "yes") return 0;
  }
  if (!ctx.connect().ok()) return 1;
  Json filters = Json::object();
  filters["dangling"][flags.get_bool("all") ? "false" : "true"] = true;
  for (auto& f : flags.get_list("filter")) {
    auto eq = f.find('=');
    filters[f.substr(0, eq)][eq == std::string::npos ? "" : f.substr(eq + 1)] = true;
  }
  auto resp =
      ctx.call("POST", "/images/prune?filters=" + api::http::percent_encode(dump_json(filters)));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto j = parse_body(resp->body, "prune reply");
  if (!j) return 1;
  std::string out;
  if (j->contains("ImagesDeleted") && (*j)["ImagesDeleted"].is_array() &&
      !(*j)["ImagesDeleted"].empty()) {
    out += "Deleted Images:\n";
    for (auto& i : (*j)["ImagesDeleted"]) {
      if (i.contains("Untagged")) out += "untagged: " + json_string(i, "Untagged") + "\n";
      if (i.contains("Deleted")) out += "deleted: " + json_string(i, "Deleted") + "\n";
    }
    out += "\n";
  }
  out += "Total reclaimed space: " +
         human_size(static_cast<double>(j->value("SpaceReclaimed", int64_t{0}))) + "\n";
  (void)write_all(1, out);
  return 0;
}

int cmd_system(Context& ctx, const Args& args) {
  if (args.empty() || args[0] != "df") {
    print_error("\nUsage:  berth system COMMAND\n\nCommands:\n  df          Show berth disk usage");
    return 1;
  }
  Flags flags;
  flags.add_bool("verbose", 'v', "Show detailed information on space usage");
  flags.add_string("format", 0, "", "Format output using a custom template");
  int rc =
      parse_flags(flags, "system df", "system df [OPTIONS]", Args(args.begin() + 1, args.end()));
  if (rc >= 0) return rc;
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("GET", "/system/df");
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto j = parse_body(resp->body, "disk usage");
  if (!j) return 1;
  int64_t img_total = 0, img_active = 0, reclaim = 0;
  for (auto& i : (*j)["Images"]) {
    ++img_total;
    bool active = i.value("Containers", 0) > 0;
    img_active += active;
    if (!active) reclaim += i.value("Size", int64_t{0});
  }
  int64_t layers = j->value("LayersSize", int64_t{0});
  int64_t c_total = 0, c_active = 0;
  for (auto& c : (*j)["Containers"]) {
    ++c_total;
    c_active += json_string(c, "State") == "running";
  }
  auto pct = [](int64_t part, int64_t whole) {
    if (whole <= 0) return std::string();
    return " (" + std::to_string(part * 100 / whole) + "%)";
  };
  std::vector<OrderedJson> rows;
  auto row = [&](const char* type, int64_t total, int64_t active, int64_t size, int64_t rec) {
    OrderedJson r;
    r["Type"] = type;
    r["TotalCount"] = std::to_string(total);
    r["Active"] = std::to_string(active);
    r["Size"] = human_size(static_cast<double>(size), 3);
    r["Reclaimable"] = human_size(static_cast<double>(rec), 3) + pct(rec, size);
    rows.push_back(r);
  };
  row("Images", img_total, img_active, layers, std::min(reclaim, layers));
  row("Containers", c_total, c_active, 0, 0);
  row("Local Volumes", 0, 0, 0, 0);
  row("Build Cache", 0, 0, 0, 0);
  OrderedJson header;
  header["Type"] = "TYPE";
  header["TotalCount"] = "TOTAL";
  header["Active"] = "ACTIVE";
  header["Size"] = "SIZE";
  header["Reclaimable"] = "RECLAIMABLE";
  auto text = format_image_rows(
      flags.get_string("format"),
      "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", header, rows);
  if (!text) {
    print_error(text.error().message);
    return 1;
  }
  (void)write_all(1, *text);
  return 0;
}

}  // namespace berth::cli
