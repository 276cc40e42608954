// berth compose port [--index N] [--protocol P] SERVICE PRIVATE_PORT
// berth compose top [SERVICE...]
// berth compose images [-q] [--format table|json] [SERVICE...]
// What the project's running containers publish, run and were made from.
#include <ctime>

#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "cli/compose/compose_api.h"
#include "cli/flags/usage.h"
#include "cli/format/format.h"
#include "compose/container_spec.h"

namespace berth::cli {

namespace {

std::string service_of(const model::ContainerSummary& c) {
  auto it = c.labels.find(compose::kLabelService);
  return it == c.labels.end() ? "" : it->second;
}

bool selected(const Args& only, const model::ContainerSummary& c) {
  return only.empty() || std::find(only.begin(), only.end(), service_of(c)) != only.end();
}

}  // namespace

int compose_port(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_string("index", 0, "1", "Index of the container if service has multiple replicas");
  flags.add_string("protocol", 0, "tcp", "tcp or udp");
  const char* usage = "compose port [OPTIONS] SERVICE PRIVATE_PORT";
  int rc = parse_flags(flags, "compose port", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 2)
    return args_error("compose port", usage, "requires exactly 2 arguments");
  long long index = 1;
  long long port = 0;
  if (!parse_int64(flags.get_string("index"), &index) || !parse_int64(flags.args()[1], &port)) {
    print_error("invalid port " + flags.args()[1]);
    return 1;
  }
  auto project = cc.project();
  if (!project.ok()) return 1;
  auto api = compose_api(cc);
  if (!api) return 1;
  auto c = service_container(*api, project->name, flags.args()[0], static_cast<int>(index));
  if (!c) return 1;
  for (const auto& p : c->ports) {
    if (p.private_port == port && p.type == flags.get_string("protocol") && p.public_port != 0) {
      (void)write_all(
          1, (p.ip.empty() ? "0.0.0.0" : p.ip) + ":" + std::to_string(p.public_port) + "\n");
      return 0;
    }
  }
  print_error("no port " + std::to_string(port) + "/" + flags.get_string("protocol") +
              " for container " + compose::summary_name(*c));
  return 1;
}

int compose_top(ComposeCommand& cc, const Args& args) {
  Flags flags;
  int rc = parse_flags(flags, "compose top", "compose top [SERVICES...]", args);
  if (rc >= 0) return rc;
  auto loaded = load_project_containers(cc);
  if (!loaded) return 1;
  int status = 0;
  for (const auto& c : loaded->containers) {
    if (c.state != "running" || !selected(flags.args(), c)) continue;
    (void)write_all(1, compose::summary_name(c) + "\n");
    if (cmd_top(cc.ctx, {c.id}) != 0) status = 1;
    (void)write_all(1, "\n");
  }
  return status;
}

int compose_images(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_bool("quiet", 'q', "Only display IDs");
  flags.add_string("format", 0, "table", "Format the output. Values: [table | json]");
  int rc = parse_flags(flags, "compose images", "compose images [OPTIONS] [SERVICE...]", args);
  if (rc >= 0) return rc;
  auto loaded = load_project_containers(cc);
  if (!loaded) return 1;
  Table t;
  t.add_row({"CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"});
  Json json = Json::array();
  std::string quiet;
  for (const auto& c : loaded->containers) {
    if (!selected(flags.args(), c)) continue;
    auto resp = cc.ctx.call("GET", "/images/" + c.image_id + "/json");
    if (!resp.ok()) return 1;
    if (!is_success(resp->status)) continue;  // removed since: Compose skips it too
    auto image = parse_body(resp->body, "image inspect");
    if (!image.ok()) return 1;
    std::string repo = c.image;
    std::string tag = "latest";
    if (size_t colon = repo.rfind(':');
        colon != std::string::npos && repo.find('/', colon) == std::string::npos) {
      tag = repo.substr(colon + 1);
      repo = repo.substr(0, colon);
    }
    std::string id = image->value("Id", "");
    std::string short_id = id.substr(id.find(':') + 1, 12);
    int64_t size = image->value("Size", int64_t{0});
    quiet += id + "\n";
    t.add_row({compose::summary_name(c), repo, tag, short_id, human_size(size)});
    json.push_back({{"ID", id},
                    {"ContainerName", compose::summary_name(c)},
                    {"Repository", repo},
                    {"Tag", tag},
                    {"Size", size}});
  }
  if (flags.get_bool("quiet")) {
    (void)write_all(1, quiet);
  } else if (flags.get_string("format") == "json") {
    (void)write_all(1, dump_json(json) + "\n");
  } else {
    (void)write_all(1, t.render());
  }
  return 0;
}

}  // namespace berth::cli
