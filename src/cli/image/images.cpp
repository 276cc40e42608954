// berth images [-a] [-q] [--no-trunc] [--digests] [--filter k=v] [--format T] [REPOSITORY[:TAG]]
#include <ctime>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/format/format.h"
#include "cli/image/image_format.h"
#include "model/image_json.h"

namespace berth::cli {

namespace {

// The rows of one image (one per tag) as the template sees them (docker's imageContext).
std::vector<OrderedJson> image_contexts(const model::ImageSummary& image, bool trunc, int64_t now) {
  std::vector<OrderedJson> rows;
  for (auto& cells : images_rows(image, trunc, now)) {
    std::string digest = "<none>";
    for (const std::string& d : image.repo_digests) {
      size_t at = d.find('@');
      if (at != std::string::npos && familiar_image(d.substr(0, at)) == cells[0])
        digest = d.substr(at + 1);
    }
    OrderedJson row;
    row["Containers"] = "N/A";
    row["CreatedAt"] = std::to_string(image.created);
    row["CreatedSince"] = cells[3];
    row["Digest"] = digest;
    row["ID"] = cells[2];
    row["Repository"] = cells[0];
    row["SharedSize"] = "N/A";
    row["Size"] = cells[4];
    row["Tag"] = cells[1];
    row["UniqueSize"] = "N/A";
    row["VirtualSize"] = cells[4];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

int cmd_images(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("all", 'a', "Show all images (default hides intermediate images)");
  flags.add_bool("quiet", 'q', "Only show image IDs");
  flags.add_bool("no-trunc", 0, "Don't truncate output");
  flags.add_bool("digests", 0, "Show digests");
  flags.add_list("filter", 'f', "Filter output based on conditions provided");
  flags.add_string("format", 0, "", "Format output using a custom template");
  int rc = parse_flags(flags, "images", "images [OPTIONS] [REPOSITORY[:TAG]]", args);
  if (rc >= 0) return rc;
  if (!ctx.connect().ok()) return 1;
  model::Map<model::Map<bool>> filters;
  for (const std::string& f : flags.get_list("filter")) {
    size_t eq = f.find('=');
    if (eq == std::string::npos) {
      print_error("bad format of filter (expected name=value)");
      return 1;
    }
    filters[f.substr(0, eq)][f.substr(eq + 1)] = true;
  }
  if (!flags.args().empty()) filters["reference"][flags.args()[0]] = true;
  std::string query;
  if (flags.get_bool("all")) query += "&all=1";
  if (!filters.empty()) query += "&filters=" + api::http::percent_encode(model::dump(filters));
  if (!query.empty()) query[0] = '?';
  auto resp = ctx.call("GET", "/images/json" + query);
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto list = decode_body<model::List<model::ImageSummary>>(resp->body, "image list");
  if (!list.ok()) return 1;
  bool trunc = !flags.get_bool("no-trunc");
  std::string out;
  if (flags.get_bool("quiet")) {
    std::vector<std::string> seen;
    for (const model::ImageSummary& image : *list) {
      std::string id = trunc ? truncate_id(image.id) : image.id;
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
      seen.push_back(id);
      out += id + "\n";
    }
  } else {
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    std::vector<OrderedJson> rows;
    for (const model::ImageSummary& image : *list) {
      for (auto& row : image_contexts(image, trunc, now)) rows.push_back(std::move(row));
    }
    OrderedJson header;
    header["Repository"] = "REPOSITORY";
    header["Tag"] = "TAG";
    header["Digest"] = "DIGEST";
    header["ID"] = "IMAGE ID";
    header["CreatedSince"] = "CREATED";
    header["CreatedAt"] = "CREATED AT";
    header["Size"] = "SIZE";
    header["Containers"] = "CONTAINERS";
    header["SharedSize"] = "SHARED SIZE";
    header["UniqueSize"] = "UNIQUE SIZE";
    header["VirtualSize"] = "VIRTUAL SIZE";
    std::string table =
        flags.get_bool("digests")
            ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t"
              "{{.CreatedSince}}\t{{.Size}}"
            : "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    auto text = format_image_rows(flags.get_string("format"), table, header, rows);
    if (!text) {
      print_error(text.error().message);
      return 1;
    }
    out = *text;
  }
  (void)write_all(1, out);
  return 0;
}

}  // namespace berth::cli
