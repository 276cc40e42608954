// berth ps [-a] [-q] [-s] [--no-trunc] [-n N] [-l] [-f key=value] [--format TEMPLATE]
#include <ctime>

#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/container/ps_format.h"
#include "cli/flags/filters.h"
#include "cli/format/format.h"
#include "cli/format/list_format.h"
#include "model/container_json.h"

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
  flags.add_string("format", 0, "", "Format output using a custom template");
  int rc = parse_flags(flags, "ps", "ps [OPTIONS]", args);
  if (rc >= 0) return rc;
  auto filters = filters_query(flags.get_list("filter"));
  if (!filters.ok()) return flag_error("ps", filters.error());
  long long last = -1;
  if (!parse_int64(flags.get_string("last"), &last)) {
    return flag_error("ps", make_error(Code::kInvalidArgument,
                                       "invalid argument \"" + flags.get_string("last") +
                                           "\" for \"-n, --last\" flag: strconv.ParseInt: "
                                           "parsing \"" +
                                           flags.get_string("last") + "\": invalid syntax"));
  }
  if (last == -1 && flags.get_bool("latest")) last = 1;

  std::string format = flags.get_string("format");
  bool quiet = flags.get_bool("quiet");
  if (quiet) format = "{{.ID}}";
  std::string table = kPsDefaultTable;
  if (flags.get_bool("size") && !quiet) table += "\t{{.Size}}";
  // docker asks for sizes when they are shown: -s, or a template that reads .Size.
  bool size = flags.get_bool("size") || format.find(".Size") != std::string::npos;
  if (!format.empty() && !quiet) {
    // docker executes the template once before listing, so a bad field fails even with no rows.
    std::string body;
    (void)resolve_format(format, table, &body);
    TemplateOptions strict;
    strict.strict_type = kPsType;
    auto t = Template::parse(body);
    if (t.ok()) {
      auto probe = t->execute(ps_context(model::ContainerSummary{}, true, 0), strict);
      if (!probe.ok()) {
        print_error("failed to execute template: " + probe.error().message);
        return 1;
      }
    }
  }
  if (!ctx.connect().ok()) return 1;

  std::string query;
  if (flags.get_bool("all")) query += "&all=1";
  if (last > 0) query += "&limit=" + std::to_string(last);
  if (size) query += "&size=1";
  if (!filters->empty()) query += "&" + *filters;
  if (!query.empty()) query[0] = '?';
  auto resp = ctx.call("GET", "/containers/json" + query);
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto list = decode_body<model::List<model::ContainerSummary>>(resp->body, "container list");
  if (!list.ok()) return 1;

  bool trunc = !flags.get_bool("no-trunc");
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  std::string body;
  (void)resolve_format(format, table, &body);
  PsFields fields = ps_fields(body);
  std::vector<OrderedJson> rows;
  rows.reserve(list->size());
  for (const model::ContainerSummary& c : *list) rows.push_back(ps_context(c, trunc, now, fields));
  ListFormat lf{format, table, ps_header_context(), kPsType};
  return print_list(lf, rows);
}

}  // namespace berth::cli
