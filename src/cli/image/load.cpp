// berth load [-i FILE] [-q]: POST /images/load with the tar as a chunked body.
#include <fcntl.h>
#include <unistd.h>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/progress/json_stream.h"

namespace berth::cli {

int cmd_load(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("input", 'i', "", "Read from tar archive file, instead of STDIN");
  flags.add_bool("quiet", 'q', "Suppress the load output");
  int rc = parse_flags(flags, "load", "load [OPTIONS]", args);
  if (rc >= 0) return rc;
  UniqueFd file;
  int in = 0;
  if (flags.changed("input")) {
    file.reset(::open(flags.get_string("input").c_str(), O_RDONLY | O_CLOEXEC));
    if (!file) {
      print_error(sys_error("open " + flags.get_string("input")).message);
      return 1;
    }
    in = file.get();
  } else if (::isatty(0)) {
    print_error("requested load from stdin, but stdin is empty");
    return 1;
  }
  if (!ctx.connect().ok()) return 1;
  std::string target = "/images/load";
  if (flags.get_bool("quiet")) target += "?quiet=1";
  auto resp = ctx.client.stream_upload("POST", target, in, "application/x-tar");
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    auto body = resp->read_all();
    print_daemon_error(resp->status, body.value_or(""));
    return 1;
  }
  if (resp->headers.get("Content-Type").find("json") != std::string::npos)
    return print_json_stream(*resp);
  auto body = resp->read_all();
  if (!body.ok()) return 1;
  (void)write_all(1, *body);
  return 0;
}

}  // namespace berth::cli
