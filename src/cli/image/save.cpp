// berth save [-o FILE] IMAGE...: GET /images/get?names=...; never writes a tar to a terminal.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "base/file.h"
#include "cli/commands.h"

namespace berth::cli {

int cmd_save(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("output", 'o', "", "Write to a file, instead of STDOUT");
  int rc = parse_flags(flags, "save", "save [OPTIONS] IMAGE [IMAGE...]", args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return flag_error(
        "save", make_error(Code::kInvalidArgument, "\"berth save\" requires at least 1 argument."));
  std::string output = flags.get_string("output");
  if (output.empty() && ::isatty(1)) {
    print_error("cowardly refusing to save to a terminal. Use the -o flag or redirect");
    return 1;
  }
  if (!ctx.connect().ok()) return 1;
  std::string target = "/images/get";
  char sep = '?';
  for (const std::string& name : flags.args()) {
    target += sep + std::string("names=") + api::http::percent_encode(name);
    sep = '&';
  }
  auto resp = ctx.client.stream("GET", target);
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    auto body = resp->read_all();
    print_daemon_error(resp->status, body.value_or(""));
    return 1;
  }
  // Like docker, write to a temp file beside the target and rename at the end.
  UniqueFd file;
  std::string tmp;
  int out = 1;
  if (!output.empty()) {
    tmp = output + ".berth-save-" + std::to_string(::getpid());
    file.reset(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!file) {
      print_error("failed to save image: " + sys_error("open " + tmp).message);
      return 1;
    }
    out = file.get();
  }
  char buf[65536];
  while (true) {
    auto n = resp->read_some(buf, sizeof buf);
    Status st = n.ok() ? (*n == 0 ? Status() : write_all(out, std::string_view(buf, *n)))
                       : Status(n.error());
    if (!st.ok()) {
      if (!tmp.empty()) ::unlink(tmp.c_str());
      print_error("failed to save image: " + st.error().message);
      return 1;
    }
    if (*n == 0) break;
  }
  if (!tmp.empty()) {
    if (::fsync(out) != 0 || ::rename(tmp.c_str(), output.c_str()) != 0) {
      print_error("failed to save image: " + sys_error("write " + output).message);
      ::unlink(tmp.c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace berth::cli
