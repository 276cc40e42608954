#include "cli/objects/object_commands.h"

#include "base/file.h"
#include "base/strings.h"
#include "cli/context.h"
#include "cli/flags/usage.h"
#include "cli/format/format.h"
#include "model/container_json.h"
#include "model/network_json.h"
#include "model/volume_json.h"

namespace berth::cli {

void add_key_value(model::Map<std::string>& map, const std::string& kv) {
  size_t eq = kv.find('=');
  if (eq == std::string::npos)
    map[kv] = "";
  else
    map[kv.substr(0, eq)] = kv.substr(eq + 1);
}

Result<PruneReport> decode_container_prune(const std::string& body) {
  BERTH_TRY_ASSIGN(auto r, decode_body<model::ContainerPruneResponse>(body, "prune response"));
  return PruneReport{std::move(r.containers_deleted), r.space_reclaimed};
}

Result<PruneReport> decode_network_prune(const std::string& body) {
  BERTH_TRY_ASSIGN(auto r, decode_body<model::NetworkPruneResponse>(body, "prune response"));
  return PruneReport{std::move(r.networks_deleted), 0};
}

Result<PruneReport> decode_volume_prune(const std::string& body) {
  BERTH_TRY_ASSIGN(auto r, decode_body<model::VolumePruneResponse>(body, "prune response"));
  return PruneReport{std::move(r.volumes_deleted), r.space_reclaimed};
}

int print_inspected(const std::vector<OrderedJson>& found, const std::vector<std::string>& errors,
                    const Flags& flags) {
  std::string out;
  if (flags.changed("format")) {
    for (const OrderedJson& j : found) {
      auto text = render_template(flags.get_string("format"), j);
      if (!text.ok()) {
        print_error("template: " + text.error().message);
        return 1;
      }
      out += *text + "\n";
    }
  } else {
    out = dump_indented(OrderedJson(found)) + "\n";
  }
  (void)write_all(1, out);
  for (const std::string& e : errors) print_error(e);
  return errors.empty() ? 0 : 1;
}

int inspect_each(Context& ctx, const std::string& path_prefix, const Flags& flags) {
  if (!ctx.connect().ok()) return 1;
  std::vector<OrderedJson> found;
  std::vector<std::string> errors;
  for (const std::string& name : flags.args()) {
    auto resp = ctx.call("GET", path_prefix + api::http::percent_encode(name));
    if (!resp.ok()) return 1;
    if (!is_success(resp->status)) {
      errors.push_back("Error response from daemon: " +
                       api::Client::error_message(resp->status, resp->body));
      continue;
    }
    auto j = parse_ordered_json(resp->body);
    if (!j.ok()) {
      errors.push_back(j.error().message);
      continue;
    }
    found.push_back(std::move(*j));
  }
  return print_inspected(found, errors, flags);
}

int prune_after_confirm(Context& ctx, const PruneCommand& command, bool force) {
  if (!ctx.connect().ok()) return 1;
  if (!force && !confirm(command.warning)) return 0;
  auto resp = ctx.call("POST", command.path + (command.query.empty() ? "" : "?" + command.query));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto report = command.decode(resp->body);
  if (!report.ok()) return 1;
  std::string out;
  double reclaimed = 0;
  if (!report->deleted.empty()) {
    out = command.heading + "\n";
    for (const std::string& n : report->deleted) out += n + "\n";
    if (command.reports_space) out += "\n";
    reclaimed = static_cast<double>(report->space_reclaimed);
  }
  if (command.reports_space) out += "Total reclaimed space: " + human_size(reclaimed) + "\n";
  (void)write_all(1, out);
  return 0;
}

}  // namespace berth::cli
