// berth compose ps [-a] [-q] [--services] [--status STATUS] [--format table|json] [SERVICE...]
#include <ctime>

#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "cli/compose/compose_api.h"
#include "cli/format/format.h"
#include "compose/container_spec.h"

namespace berth::cli {

namespace {

std::string ports_text(const model::ContainerSummary& c) {
  std::vector<std::string> out;
  for (const auto& p : c.ports) {
    std::string target = std::to_string(p.private_port) + "/" + p.type;
    if (p.public_port != 0) {
      out.push_back((p.ip.empty() ? "0.0.0.0" : p.ip) + ":" + std::to_string(p.public_port) + "->" +
                    target);
    } else {
      out.push_back(target);
    }
  }
  return join(out, ", ");
}

std::string label(const model::ContainerSummary& c, const char* key) {
  auto it = c.labels.find(key);
  return it == c.labels.end() ? "" : it->second;
}

}  // namespace

int compose_ps(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_bool("all", 'a', "Show all stopped containers");
  flags.add_bool("quiet", 'q', "Only display IDs");
  flags.add_bool("services", 0, "Display services");
  flags.add_list("status", 0, "Filter services by status");
  flags.add_string("format", 0, "table", "Format the output (table, json)");
  flags.add_bool("no-trunc", 0, "Don't truncate output");
  int rc = parse_flags(flags, "compose ps", "compose ps [OPTIONS] [SERVICE...]", args);
  if (rc >= 0) return rc;
  auto loaded = load_project_containers(cc);
  if (!loaded) return 1;
  std::vector<model::ContainerSummary> rows;
  const auto& statuses = flags.get_list("status");
  for (auto& c : loaded->containers) {
    std::string svc = label(c, compose::kLabelService);
    if (!flags.args().empty() &&
        std::find(flags.args().begin(), flags.args().end(), svc) == flags.args().end())
      continue;
    if (!statuses.empty()) {
      if (std::find(statuses.begin(), statuses.end(), c.state) == statuses.end()) continue;
    } else if (!flags.get_bool("all") && c.state != "running" && c.state != "restarting" &&
               c.state != "paused") {
      continue;
    }
    rows.push_back(c);
  }
  std::string out;
  if (flags.get_bool("services")) {
    std::vector<std::string> seen;
    for (const auto& c : rows) {
      std::string svc = label(c, compose::kLabelService);
      if (std::find(seen.begin(), seen.end(), svc) == seen.end()) seen.push_back(svc);
    }
    for (const auto& s : seen) out += s + "\n";
  } else if (flags.get_bool("quiet")) {
    for (const auto& c : rows) out += c.id + "\n";
  } else if (flags.get_string("format") == "json") {
    for (const auto& c : rows) {
      Json j = {{"ID", c.id},
                {"Name", compose::summary_name(c)},
                {"Image", c.image},
                {"Command", c.command},
                {"Project", loaded->project.name},
                {"Service", label(c, compose::kLabelService)},
                {"Created", c.created},
                {"State", c.state},
                {"Status", c.status},
                {"Health", ""},
                {"ExitCode", 0},
                {"Ports", ports_text(c)}};
      out += dump_json(j) + "\n";
    }
  } else {
    Table t;
    t.add_row({"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"});
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    for (const auto& c : rows) {
      std::string cmd = flags.get_bool("no-trunc") ? c.command : ellipsis(c.command, 20);
      t.add_row({compose::summary_name(c), c.image, "\"" + cmd + "\"",
                 label(c, compose::kLabelService), ago(c.created, now), c.status, ports_text(c)});
    }
    out = t.render();
  }
  (void)write_all(1, out);
  return 0;
}

}  // namespace berth::cli
