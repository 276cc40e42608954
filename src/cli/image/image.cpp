// berth image SUBCOMMAND: bootstrap (Berth's own), and the docker aliases ls, load, save, inspect.
#include "base/file.h"
#include "cli/commands.h"
#include "cli/progress/json_stream.h"

namespace berth::cli {

namespace {

int image_bootstrap(Context& ctx, const Args& args) {
  Flags flags;
  int rc = parse_flags(flags, "image bootstrap", "image bootstrap [NAME[:TAG]]", args);
  if (rc >= 0) return rc;
  if (flags.args().size() > 1)
    return flag_error("image bootstrap",
                      make_error(Code::kInvalidArgument,
                                 "\"berth image bootstrap\" accepts at most 1 argument."));
  std::string tag = flags.args().empty() ? "busybox:latest" : with_default_tag(flags.args()[0]);
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.client.stream("POST", "/images/bootstrap?tag=" + api::http::percent_encode(tag));
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    auto body = resp->read_all();
    print_daemon_error(resp->status, body.value_or(""));
    return 1;
  }
  return print_json_stream(*resp);
}

}  // namespace

int cmd_image(Context& ctx, const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (void)write_all(1,
                    "\nUsage:  berth image COMMAND\n\nCommands:\n"
                    "  bootstrap   Build a busybox image from the host's busybox binary\n"
                    "  inspect     Display detailed information on one or more images\n"
                    "  load        Load an image from a tar archive or STDIN\n"
                    "  ls          List images\n"
                    "  history     Show the history of an image\n"
                    "  prune       Remove unused images\n"
                    "  pull        Download an image from a registry\n"
                    "  push        Upload an image to a registry\n"
                    "  rm          Remove one or more images\n"
                    "  save        Save one or more images to a tar archive\n"
                    "  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n");
    return args.empty() ? 1 : 0;
  }
  Args rest(args.begin() + 1, args.end());
  const std::string& sub = args[0];
  if (sub == "bootstrap") return image_bootstrap(ctx, rest);
  if (sub == "ls" || sub == "list") return cmd_images(ctx, rest);
  if (sub == "load") return cmd_load(ctx, rest);
  if (sub == "save") return cmd_save(ctx, rest);
  if (sub == "pull") return cmd_pull(ctx, rest);
  if (sub == "push") return cmd_push(ctx, rest);
  if (sub == "tag") return cmd_tag(ctx, rest);
  if (sub == "rm" || sub == "remove") return cmd_rmi(ctx, rest);
  if (sub == "history") return cmd_image_history(ctx, rest);
  if (sub == "prune") return cmd_image_prune(ctx, rest);
  if (sub == "inspect") {
    Args with_type = {"--type", "image"};
    with_type.insert(with_type.end(), rest.begin(), rest.end());
    return cmd_inspect(ctx, with_type);
  }
  print_error("berth: 'image " + sub + "' is not a berth command.\nSee 'berth image --help'");
  return 1;
}

}  // namespace berth::cli
