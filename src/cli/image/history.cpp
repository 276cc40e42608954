// berth image history [-H] [--no-trunc] [-q] [--format] IMAGE, berth image prune [-a] [-f]
// [--filter], berth system df.
#include <ctime>

#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/format/format.h"
#include "cli/image/image_format.h"
#include "model/image_json.h"
#include "model/system_json.h"

namespace berth::cli {

namespace {

std::string shown_id(const std::string& id, bool trunc) {
  return trunc && id != "<missing>" ? truncate_id(id) : id;
}

// A row of `history` as its template sees it (docker's historyContext).
OrderedJson history_context(const model::ImageHistoryItem& h, bool trunc, int64_t now) {
  OrderedJson row;
  row["ID"] = shown_id(h.id, trunc);
  row["CreatedSince"] = ago(h.created, now);
  row["CreatedAt"] = std::to_string(h.created);
  row["CreatedBy"] = trunc ? ellipsis(h.created_by, 45) : h.created_by;
  row["Size"] = human_size(static_cast<double>(h.size), 3);
  row["Comment"] = h.comment;
  return row;
}

// A row of `system df` as its template sees it (docker's diskUsageContext).
OrderedJson disk_usage_context(const char* type, int64_t total, int64_t active, int64_t size,
                               int64_t reclaimable) {
  std::string pct;
  if (size > 0) pct = " (" + std::to_string(reclaimable * 100 / size) + "%)";
  OrderedJson r;
  r["Type"] = type;
  r["TotalCount"] = std::to_string(total);
  r["Active"] = std::to_string(active);
  r["Size"] = human_size(static_cast<double>(size), 3);
  r["Reclaimable"] = human_size(static_cast<double>(reclaimable), 3) + pct;
  return r;
}

}  // namespace

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
  auto list = decode_body<model::List<model::ImageHistoryItem>>(resp->body, "history");
  if (!list.ok()) return 1;
  bool trunc = !flags.get_bool("no-trunc");
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  std::string out;
  if (flags.get_bool("quiet")) {
    for (const model::ImageHistoryItem& h : *list) out += shown_id(h.id, trunc) + "\n";
    (void)write_all(1, out);
    return 0;
  }
  std::vector<OrderedJson> rows;
  for (const model::ImageHistoryItem& h : *list) rows.push_back(history_context(h, trunc, now));
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
  model::Map<model::Map<bool>> filters;
  filters["dangling"][flags.get_bool("all") ? "false" : "true"] = true;
  for (auto& f : flags.get_list("filter")) {
    auto eq = f.find('=');
    filters[f.substr(0, eq)][eq == std::string::npos ? "" : f.substr(eq + 1)] = true;
  }
  auto resp =
      ctx.call("POST", "/images/prune?filters=" + api::http::percent_encode(model::dump(filters)));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto pruned = decode_body<model::ImagePruneResponse>(resp->body, "prune reply");
  if (!pruned.ok()) return 1;
  std::string out;
  if (!pruned->images_deleted.empty()) {
    out += "Deleted Images:\n";
    for (const model::ImageDeleteResponseItem& i : pruned->images_deleted) {
      if (!i.untagged.empty()) out += "untagged: " + i.untagged + "\n";
      if (!i.deleted.empty()) out += "deleted: " + i.deleted + "\n";
    }
    out += "\n";
  }
  out +=
      "Total reclaimed space: " + human_size(static_cast<double>(pruned->space_reclaimed)) + "\n";
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
  auto du = decode_body<model::SystemDiskUsage>(resp->body, "disk usage");
  if (!du.ok()) return 1;
  int64_t img_total = 0, img_active = 0, reclaim = 0;
  for (const model::ImageSummary& i : du->images) {
    ++img_total;
    bool active = i.containers > 0;
    img_active += active;
    if (!active) reclaim += i.size;
  }
  int64_t layers = du->layers_size;
  int64_t c_total = 0, c_active = 0;
  for (const model::ContainerSummary& c : du->containers) {
    ++c_total;
    c_active += c.state == "running";
  }
  std::vector<OrderedJson> rows = {
      disk_usage_context("Images", img_total, img_active, layers, std::min(reclaim, layers)),
      disk_usage_context("Containers", c_total, c_active, 0, 0),
      disk_usage_context("Local Volumes", 0, 0, 0, 0),
      disk_usage_context("Build Cache", 0, 0, 0, 0)};
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
