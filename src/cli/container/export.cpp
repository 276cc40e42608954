// berth export [-o FILE] CONTAINER: GET /containers/{id}/export, the tar to FILE or stdout
// (never to a terminal).
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "base/file.h"
#include "base/unique_fd.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"

namespace berth::cli {

// Copies a streamed body to fd; false after printing the error.
bool copy_body_to_fd(api::StreamingResponse& resp, int fd) {
  char buf[65536];
  while (true) {
    auto n = resp.read_some(buf, sizeof buf);
    if (!n.ok()) {
      print_error("error reading the response: " + n.error().message);
      return false;
    }
    if (*n == 0) return true;
    if (!write_all(fd, std::string_view(buf, *n)).ok()) {
      print_error("write: " + std::string(std::strerror(errno)));
      return false;
    }
  }
}

int cmd_export(Context& ctx, const Args& args) {
  const char* usage = "export [OPTIONS] CONTAINER";
  Flags flags;
  flags.add_string("output", 'o', "", "Write to a file, instead of STDOUT");
  int rc = parse_flags(flags, "export", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1) return args_error("export", usage, "requires 1 argument");
  std::string output = flags.get_string("output");
  if (output.empty() && ::isatty(1)) {
    print_error("cowardly refusing to save to a terminal. Use the -o flag or redirect");
    return 1;
  }
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.client.stream(
      "GET", "/containers/" + api::http::percent_encode(flags.args()[0]) + "/export");
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    print_daemon_error(resp->status, resp->read_all().value_or(""));
    return 1;
  }
  UniqueFd file;
  int fd = 1;
  if (!output.empty()) {
    file = UniqueFd(::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!file) {
      print_error("failed to export container: open " + output + ": " + std::strerror(errno));
      return 1;
    }
    fd = file.get();
  }
  return copy_body_to_fd(*resp, fd) ? 0 : 1;
}

}  // namespace berth::cli
