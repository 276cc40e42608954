// berth compose config [--format yaml|json] [--services|--volumes|--networks|--profiles|
//                       --images] [-q] [--no-interpolate] [-o FILE]
#include "base/file.h"
#include "cli/compose/compose_command.h"
#include "compose/node_json.h"
#include "compose/yaml.h"

namespace berth::cli {

namespace {

void print_keys(const compose::Node* section) {
  if (section == nullptr) return;
  std::string out;
  for (const auto& [k, _] : section->entries()) out += k + "\n";
  (void)write_all(1, out);
}

}  // namespace

int compose_config(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_string("format", 0, "yaml", "Format the output. Values: [yaml | json]");
  flags.add_bool("services", 0, "Print the service names, one per line");
  flags.add_bool("volumes", 0, "Print the volume names, one per line");
  flags.add_bool("networks", 0, "Print the network names, one per line");
  flags.add_bool("profiles", 0, "Print the profile names, one per line");
  flags.add_bool("images", 0, "Print the image names, one per line");
  flags.add_bool("quiet", 'q', "Only validate the configuration, don't print anything");
  flags.add_bool("no-interpolate", 0, "Don't interpolate environment variables");
  flags.add_string("output", 'o', "", "Save to file (default to stdout)");
  int rc = parse_flags(flags, "compose config", "compose config [OPTIONS] [SERVICE...]", args);
  if (rc >= 0) return rc;
  const std::string format = flags.get_string("format");
  if (format != "yaml" && format != "json") {
    print_error("unsupported format \"" + format + "\"");
    return 1;
  }
  cc.load.interpolate = !flags.get_bool("no-interpolate");
  auto project = cc.project();
  if (!project.ok()) return 1;
  if (flags.get_bool("quiet")) return 0;
  compose::Node model = project->model;
  if (!flags.args().empty()) {  // only the named services
    compose::Node kept = compose::Node::map();
    for (const auto& name : flags.args()) {
      const compose::Node* svc = project->services().find(name);
      if (svc == nullptr) {
        print_error("no such service: " + name);
        return 1;
      }
      kept.set(name, *svc);
    }
    model.set("services", kept);
  }
  if (flags.get_bool("services")) {
    print_keys(model.find("services"));
    return 0;
  }
  if (flags.get_bool("volumes")) {
    print_keys(model.find("volumes"));
    return 0;
  }
  if (flags.get_bool("networks")) {
    print_keys(model.find("networks"));
    return 0;
  }
  if (flags.get_bool("profiles")) {
    std::string out;
    for (const auto& p : project->profiles) out += p + "\n";
    (void)write_all(1, out);
    return 0;
  }
  if (flags.get_bool("images")) {
    std::string out;
    for (const auto& [name, svc] : model["services"].entries()) {
      std::string image = svc.str("image");
      out += (image.empty() ? project->name + "-" + name : image) + "\n";
    }
    (void)write_all(1, out);
    return 0;
  }
  std::string text =
      format == "json" ? compose::to_json_text(model, 2) + "\n" : compose::emit_yaml(model);
  if (flags.changed("output")) {
    auto st = write_file(flags.get_string("output"), text);
    if (!st.ok()) {
      print_error(st.error().message);
      return 1;
    }
    return 0;
  }
  (void)write_all(1, text);
  return 0;
}

}  // namespace berth::cli
