// berth volume SUBCOMMAND: create, ls, inspect, rm, prune — Engine API clients of /volumes,
// printing what docker prints.
#include <algorithm>

#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/flags/filters.h"
#include "cli/flags/usage.h"
#include "cli/format/format.h"
#include "cli/format/list_format.h"
#include "cli/format/template.h"
#include "cli/objects/object_commands.h"
#include "model/volume_json.h"

namespace berth::cli {

namespace {

std::string enc(const std::string& s) { return api::http::percent_encode(s); }

int volume_create(Context& ctx, const Args& args) {
  const char* usage = "volume create [OPTIONS] [VOLUME]";
  Flags flags;
  flags.add_string("driver", 'd', "local", "Specify volume driver name");
  flags.add_string("name", 0, "", "Specify volume name");
  flags.add_list("label", 0, "Set metadata for a volume");
  flags.add_list("opt", 'o', "Set driver specific options");
  int rc = parse_flags(flags, "volume create", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() > 1)
    return args_error("volume create", usage, "requires at most 1 argument");
  std::string name = flags.get_string("name");
  if (!flags.args().empty()) {
    if (!name.empty()) {
      print_error(
          "conflicting options: cannot specify a volume-name through both --name and as a "
          "positional arg");
      return 1;
    }
    name = flags.args()[0];
  }
  model::VolumeCreateOptions body;
  body.name = name;
  body.driver = flags.get_string("driver");
  for (const auto& l : flags.get_list("label")) add_key_value(body.labels, l);
  for (const auto& o : flags.get_list("opt")) add_key_value(body.driver_opts, o);
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("POST", "/volumes/create", model::dump(body));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto created = decode_body<model::Volume>(resp->body, "volume create response");
  if (!created.ok()) return 1;
  (void)write_all(1, created->name + "\n");
  return 0;
}

// A row of `volume ls` as its template sees it (docker's volumeContext).
OrderedJson volume_context(const model::Volume& v) {
  std::string links = "N/A", size = "N/A";
  if (v.usage_data) {
    if (v.usage_data->ref_count >= 0) links = std::to_string(v.usage_data->ref_count);
    if (v.usage_data->size >= 0) size = human_size(static_cast<double>(v.usage_data->size));
  }
  OrderedJson row;
  row["Name"] = v.name;
  row["Driver"] = v.driver;
  row["Scope"] = v.scope;
  row["Mountpoint"] = v.mountpoint;
  row["Labels"] = join_labels(v.labels);
  row["Links"] = links;
  row["Size"] = size;
  return row;
}

int volume_ls(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("quiet", 'q', "Only display volume names");
  flags.add_list("filter", 'f', "Provide filter values (e.g. \"dangling=true\")");
  flags.add_string("format", 0, "", "Format output using a custom template");
  int rc = parse_flags(flags, "volume ls", "volume ls [OPTIONS]", args);
  if (rc >= 0) return rc;
  auto filters = filters_query(flags.get_list("filter"));
  if (!filters.ok()) return flag_error("volume ls", filters.error());
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("GET", "/volumes" + (filters->empty() ? "" : "?" + *filters));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto list = decode_body<model::VolumeListResponse>(resp->body, "volume list");
  if (!list.ok()) return 1;
  model::List<model::Volume>& vols = list->volumes;
  std::sort(vols.begin(), vols.end(),
            [](const model::Volume& a, const model::Volume& b) { return a.name < b.name; });
  std::vector<OrderedJson> rows;
  for (const model::Volume& v : vols) rows.push_back(volume_context(v));
  std::string format = flags.get_string("format");
  if (flags.get_bool("quiet")) format = "{{.Name}}";
  OrderedJson header = {{"Name", "VOLUME NAME"}, {"Driver", "DRIVER"},
                        {"Scope", "SCOPE"},      {"Mountpoint", "MOUNTPOINT"},
                        {"Labels", "LABELS"},    {"Links", "LINKS"},
                        {"Size", "SIZE"}};
  ListFormat lf{format, "table {{.Driver}}\t{{.Name}}", header, "*formatter.volumeContext"};
  return print_list(lf, rows);
}

int volume_inspect(Context& ctx, const Args& args) {
  const char* usage = "volume inspect [OPTIONS] VOLUME [VOLUME...]";
  Flags flags;
  flags.add_string("format", 'f', "", "Format output using a custom template");
  int rc = parse_flags(flags, "volume inspect", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return args_error("volume inspect", usage, "requires at least 1 argument");
  return inspect_each(ctx, "/volumes/", flags);
}

int volume_rm(Context& ctx, const Args& args) {
  const char* usage = "volume rm [OPTIONS] VOLUME [VOLUME...]";
  Flags flags;
  flags.add_bool("force", 'f', "Force the removal of one or more volumes");
  int rc = parse_flags(flags, "volume rm", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty()) return args_error("volume rm", usage, "requires at least 1 argument");
  if (!ctx.connect().ok()) return 1;
  std::string query = flags.get_bool("force") ? "?force=1" : "";
  int status = 0;
  for (const std::string& name : flags.args()) {
    auto resp = ctx.call("DELETE", "/volumes/" + enc(name) + query);
    if (!resp.ok()) return 1;
    if (!is_success(resp->status)) {
      print_daemon_error(*resp);
      status = 1;
      continue;
    }
    (void)write_all(1, name + "\n");
  }
  return status;
}

int volume_prune(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("force", 'f', "Do not prompt for confirmation");
  flags.add_bool("all", 'a', "Remove all unused volumes, not just anonymous ones");
  flags.add_list("filter", 0, "Provide filter values (e.g. \"label=<label>\")");
  int rc = parse_flags(flags, "volume prune", "volume prune [OPTIONS]", args);
  if (rc >= 0) return rc;
  std::vector<std::string> fl = flags.get_list("filter");
  if (flags.get_bool("all")) fl.push_back("all=true");
  auto filters = filters_query(fl, "--filter");
  if (!filters.ok()) return flag_error("volume prune", filters.error());
  const char* warning =
      flags.get_bool("all")
          ? "WARNING! This will remove all local volumes not used by at least one container.\n"
            "Are you sure you want to continue?"
          : "WARNING! This will remove anonymous local volumes not used by at least one "
            "container.\nAre you sure you want to continue?";
  PruneCommand command{"/volumes/prune",    *filters,           warning,
                       decode_volume_prune, "Deleted Volumes:", true};
  return prune_after_confirm(ctx, command, flags.get_bool("force"));
}

}  // namespace

int cmd_volume(Context& ctx, const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (void)write_all(1,
                    "\nUsage:  berth volume COMMAND\n\nManage volumes\n\nCommands:\n"
                    "  create      Create a volume\n"
                    "  inspect     Display detailed information on one or more volumes\n"
                    "  ls          List volumes\n"
                    "  prune       Remove unused local volumes\n"
                    "  rm          Remove one or more volumes\n");
    return 0;
  }
  Args rest(args.begin() + 1, args.end());
  const std::string& sub = args[0];
  if (sub == "create") return volume_create(ctx, rest);
  if (sub == "ls" || sub == "list") return volume_ls(ctx, rest);
  if (sub == "inspect") return volume_inspect(ctx, rest);
  if (sub == "rm" || sub == "remove") return volume_rm(ctx, rest);
  if (sub == "prune") return volume_prune(ctx, rest);
  print_error("berth: 'volume " + sub + "' is not a berth command.\nSee 'berth volume --help'");
  return 1;
}

}  // namespace berth::cli
