// berth inspect [--type container|image] [-f FORMAT] NAME...: containers first, then images,
// printed as docker does: a JSON array indented by 4 spaces, keys in the daemon's order.
#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "cli/format/template.h"
#include "cli/objects/object_commands.h"

namespace berth::cli {

int cmd_inspect(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("format", 'f', "", "Format output using a custom template");
  flags.add_string("type", 0, "", "Only inspect objects of the given type");
  flags.add_bool("size", 's', "Display total file sizes if the type is container");
  int rc = parse_flags(flags, "inspect", "inspect [OPTIONS] NAME|ID [NAME|ID...]", args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return args_error("inspect", "inspect [OPTIONS] NAME|ID [NAME|ID...]",
                      "requires at least 1 argument");
  std::string type = flags.get_string("type");
  if (!type.empty() && type != "container" && type != "image") {
    print_error("\"" + type + "\" is not a valid value for --type");
    return 1;
  }
  if (!ctx.connect().ok()) return 1;

  std::vector<OrderedJson> found;
  std::vector<std::string> errors;
  for (const std::string& name : flags.args()) {
    std::string escaped = api::http::percent_encode(name);
    std::vector<std::string> targets;
    if (type.empty() || type == "container")
      targets.push_back("/containers/" + escaped + "/json" +
                        (flags.get_bool("size") ? "?size=1" : ""));
    if (type.empty() || type == "image") targets.push_back("/images/" + escaped + "/json");
    bool ok = false;
    std::string last_error;
    for (const std::string& target : targets) {
      auto resp = ctx.call("GET", target);
      if (!resp.ok()) return 1;
      if (is_success(resp->status)) {
        auto j = parse_ordered_json(resp->body);
        if (!j.ok()) {
          last_error = j.error().message;
          break;
        }
        found.push_back(std::move(*j));
        ok = true;
        break;
      }
      if (resp->status != 404) {
        last_error =
            "Error response from daemon: " + api::Client::error_message(resp->status, resp->body);
        break;
      }
    }
    if (!ok) {
      if (last_error.empty()) {
        last_error = type.empty() ? "Error: No such object: " + name
                                  : "Error: No such " + type + ": " + name;
      }
      errors.push_back(last_error);
    }
  }

  return print_inspected(found, errors, flags);
}

}  // namespace berth::cli
