// berth pull [--platform P] [-q] NAME[:TAG|@DIGEST]: POST /images/create, progress rendered.
#include "base/file.h"
#include "cli/commands.h"
#include "cli/progress/progress.h"
#include "cli/registry/registry_auth.h"

namespace berth::cli {

int cmd_pull(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("platform", 0, "", "Set platform if server is multi-platform capable");
  flags.add_bool("quiet", 'q', "Suppress verbose output");
  flags.add_bool("all-tags", 'a', "Download all tagged images in the repository");
  flags.add_bool("disable-content-trust", 0, "Skip image verification (default true)");
  int rc = parse_flags(flags, "pull", "pull [OPTIONS] NAME[:TAG|@DIGEST]", args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1)
    return flag_error(
        "pull", make_error(Code::kInvalidArgument, "\"berth pull\" requires exactly 1 argument."));
  if (flags.get_bool("all-tags")) {
    print_error("--all-tags is not supported by berth");
    return 1;
  }
  std::string ref = flags.args()[0];
  std::string name = ref, tag;
  if (size_t at = ref.find('@'); at != std::string::npos) {
    name = ref.substr(0, at);
    tag = ref.substr(at + 1);
  } else if (size_t colon = ref.rfind(':');
             colon != std::string::npos && ref.find('/', colon) == std::string::npos) {
    name = ref.substr(0, colon);
    tag = ref.substr(colon + 1);
  }
  if (tag.empty()) {
    tag = "latest";
    if (!flags.get_bool("quiet")) (void)write_all(1, "Using default tag: latest\n");
  }
  if (!ctx.connect().ok()) return 1;
  std::string auth = registry_auth_header(registry_server_of(name));
  if (!auth.empty()) ctx.client.set_header("X-Registry-Auth", auth);
  std::string target = "/images/create?fromImage=" + api::http::percent_encode(name) +
                       "&tag=" + api::http::percent_encode(tag);
  if (flags.changed("platform"))
    target += "&platform=" + api::http::percent_encode(flags.get_string("platform"));
  auto resp = ctx.client.stream("POST", target);
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    auto body = resp->read_all();
    print_daemon_error(resp->status, body.value_or(""));
    return 1;
  }
  rc = print_progress_stream(*resp, flags.get_bool("quiet"));
  if (rc == 0) {
    // Docker prints the canonical name last.
    std::string full = name;
    if (registry_server_of(name) == kDockerHubServer) {
      if (full.rfind("docker.io/", 0) != 0) {
        if (full.find('/') == std::string::npos) full = "library/" + full;
        full = "docker.io/" + full;
      }
    }
    (void)write_all(1, full + (tag.rfind("sha256:", 0) == 0 ? "@" : ":") + tag + "\n");
  }
  return rc;
}

int cmd_push(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("quiet", 'q', "Suppress verbose output");
  flags.add_bool("all-tags", 'a', "Push all tags of an image to the repository");
  flags.add_bool("disable-content-trust", 0, "Skip image signing (default true)");
  flags.add_string("platform", 0, "", "Push a platform-specific manifest");
  int rc = parse_flags(flags, "push", "push [OPTIONS] NAME[:TAG]", args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1)
    return flag_error(
        "push", make_error(Code::kInvalidArgument, "\"berth push\" requires exactly 1 argument."));
  std::string ref = flags.args()[0];
  std::string name = ref, tag;
  if (size_t colon = ref.rfind(':');
      colon != std::string::npos && ref.find('/', colon) == std::string::npos) {
    name = ref.substr(0, colon);
    tag = ref.substr(colon + 1);
  }
  if (tag.empty() && !flags.get_bool("all-tags")) {
    tag = "latest";
    if (!flags.get_bool("quiet")) (void)write_all(1, "Using default tag: latest\n");
  }
  if (!ctx.connect().ok()) return 1;
  std::string auth = registry_auth_header(registry_server_of(name));
  ctx.client.set_header("X-Registry-Auth", auth.empty() ? "e30=" : auth);  // "{}"
  std::string target = "/images/" + name + "/push";
  if (!tag.empty()) target += "?tag=" + api::http::percent_encode(tag);
  auto resp = ctx.client.stream("POST", target);
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    auto body = resp->read_all();
    print_daemon_error(resp->status, body.value_or(""));
    return 1;
  }
  std::string digest;
  rc = print_progress_stream(*resp, flags.get_bool("quiet"), &digest);
  if (rc == 0 && flags.get_bool("quiet")) (void)write_all(1, name + ":" + tag + "\n");
  return rc;
}

}  // namespace berth::cli
