// berth ps [-a] [-q] [--no-trunc] [-n N] [-l] [-f key=value]
#include <ctime>
#include <set>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/format.h"

namespace berth::cli {

int cmd_ps(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("all", 'a', "Show all containers (default shows just running)");
  flags.add_bool("quiet", 'q', "Only display container IDs");
  flags.add_bool("no-trunc", 0, "Don't truncate output");
  flags.add_bool("latest", 'l', "Show the latest created container (includes all states)");
  flags.add_string("last", 'n', "-1", "Show n last created containers (includes all states)");
  flags.add_list("filter", 'f', "Filter output based on conditions provided");
  flags.add_bool("size", 's', "Display total file sizes");
  int rc = parse_flags(flags, "ps", "ps [OPTIONS]", args);
  if (rc >= 0) return rc;
  if (!ctx.connect().ok()) return 1;

  std::string query;
  if (flags.get_bool("all")) query += "&all=1";
  if (flags.get_bool("latest"))
    query += "&limit=1";
  else if (flags.get_string("last") != "-1")
    query += "&limit=" + flags.get_string("last");
  if (!flags.get_list("filter").empty()) {
    Json filters = Json::object();
    for (const std::string& f : flags.get_list("filter")) {
      size_t eq = f.find('=');
      if (eq == std::string::npos) {
        print_error("bad format of filter (expected name=value)");
        return 1;
      }
      filters[f.substr(0, eq)][f.substr(eq + 1)] = true;
    }
    query += "&filters=" + api::http::percent_encode(dump_json(filters));
  }
  if (!query.empty()) query[0] = '?';
  auto resp = ctx.call("GET", "/containers/json" + query);
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto list = parse_body(resp->body, "container list");
  if (!list.ok() || !list->is_array()) return 1;

  bool trunc = !flags.get_bool("no-trunc");
  std::string out;
  if (flags.get_bool("quiet")) {
    for (const Json& c : *list) {
      std::string id = json_string(c, "Id");
      out += (trunc ? truncate_id(id) : id) + "\n";
    }
  } else {
    Table table;
    table.add_row(ps_header());
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    for (const Json& c : *list) table.add_row(ps_row(c, trunc, now));
    out = table.render();
  }
  (void)write_all(1, out);
  return 0;
}

}  // namespace berth::cli
