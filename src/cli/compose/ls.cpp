// berth compose ls [-a] [-q] [--filter name=X] [--format table|json]
// Projects as Compose finds them: from the com.docker.compose.project label of the daemon's
// containers (running ones, all with -a), with each project's states counted and its files.
#include <map>

#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "cli/compose/compose_api.h"
#include "cli/format/format.h"
#include "compose/container_spec.h"

namespace berth::cli {

namespace {

struct ProjectRow {
  std::map<std::string, int> states;  // sorted, as Compose sorts them
  std::string config_files;
};

}  // namespace

int compose_ls(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_bool("all", 'a', "Show all stopped Compose projects");
  flags.add_bool("quiet", 'q', "Only display project names");
  flags.add_list("filter", 0, "Filter output based on conditions provided");
  flags.add_string("format", 0, "table", "Format the output. Values: [table | json]");
  int rc = parse_flags(flags, "compose ls", "compose ls [OPTIONS]", args);
  if (rc >= 0) return rc;
  std::string name_filter;
  for (const auto& f : flags.get_list("filter")) {
    if (f.rfind("name=", 0) != 0) {
      print_error("invalid filter '" + f + "'");
      return 1;
    }
    name_filter = f.substr(5);
  }
  auto api = compose_api(cc);
  if (!api) return 1;
  auto list = api->list_containers({compose::kLabelProject});
  if (!list.ok()) {
    print_error(list.error().message);
    return 1;
  }
  std::map<std::string, ProjectRow> projects;
  for (const auto& c : *list) {
    if (!flags.get_bool("all") && c.state != "running") continue;
    std::string name = c.labels.at(compose::kLabelProject);
    if (!name_filter.empty() && name.find(name_filter) == std::string::npos) continue;
    ProjectRow& row = projects[name];
    row.states[c.state]++;
    if (auto it = c.labels.find(compose::kLabelConfigFiles);
        row.config_files.empty() && it != c.labels.end())
      row.config_files = it->second;
  }
  std::string out;
  Json json = Json::array();
  Table t;
  t.add_row({"NAME", "STATUS", "CONFIG FILES"});
  for (const auto& [name, row] : projects) {
    std::vector<std::string> parts;
    for (const auto& [state, n] : row.states)
      parts.push_back(state + "(" + std::to_string(n) + ")");
    std::string status = join(parts, ", ");
    out += name + "\n";
    t.add_row({name, status, row.config_files});
    json.push_back({{"Name", name}, {"Status", status}, {"ConfigFiles", row.config_files}});
  }
  if (flags.get_bool("quiet")) {
    (void)write_all(1, out);
  } else if (flags.get_string("format") == "json") {
    (void)write_all(1, dump_json(json) + "\n");
  } else {
    (void)write_all(1, t.render());
  }
  return 0;
}

}  // namespace berth::cli
