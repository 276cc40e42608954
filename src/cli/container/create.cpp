// berth create, and the create call run shares.
#include "base/file.h"
#include "cli/commands.h"
#include "cli/container/create_common.h"
#include "model/container_json.h"

namespace berth::cli {

int create_container(Context& ctx, const ContainerSpec& spec, const std::string& command,
                     std::string* id) {
  std::string target = "/containers/create";
  if (!spec.name.empty()) target += "?name=" + api::http::percent_encode(spec.name);
  auto fail = [&](const std::string& message) {
    print_error("berth: " + message + "\n\nRun 'berth " + command +
                " --help' for more information");
    return 125;
  };
  auto resp = ctx.client.request("POST", target, create_body_json(spec));
  if (!resp.ok()) return fail(resp.error().message);
  if (resp->status == 404) {
    // Docker pulls here; Berth has no implicit pull, so the error stands.
    print_error("Unable to find image '" + with_default_tag(spec.image) + "' locally");
  }
  if (!is_success(resp->status)) {
    // docker create reports the daemon's refusal bare, exit 1; run adds its prefix, hint and 125.
    if (command == "create") {
      print_error("Error response from daemon: " +
                  api::Client::error_message(resp->status, resp->body));
      return 1;
    }
    return fail("Error response from daemon: " +
                api::Client::error_message(resp->status, resp->body));
  }
  auto created = model::parse<model::ContainerCreateResponse>(resp->body, "create response");
  if (!created.ok()) return fail(created.error().message);
  *id = created->id;
  for (const std::string& w : created->warnings) print_error("WARNING: " + w);
  if (id->empty()) return fail("create response without an Id");
  return -1;
}

int cmd_create(Context& ctx, const Args& args) {
  Flags flags;
  add_container_flags(flags, false);
  int rc = parse_flags(flags, "create", "create [OPTIONS] IMAGE [COMMAND] [ARG...]", args, false);
  if (rc >= 0) return rc;
  auto spec = build_container_spec(flags, false);
  if (!spec.ok()) {
    print_error("berth: " + spec.error().message +
                "\n\nRun 'berth create --help' for more information");
    return 125;
  }
  if (!ctx.connect().ok()) return 125;
  std::string id;
  rc = create_container(ctx, *spec, "create", &id);
  if (rc >= 0) return rc;
  (void)write_all(1, id + "\n");
  return 0;
}

}  // namespace berth::cli
