#include "cli/container/simple_container.h"

#include "base/file.h"

namespace berth::cli {

int for_each_container(Context& ctx, const std::vector<std::string>& names,
                       const PerContainer& op) {
  if (!ctx.connect().ok()) return 1;
  int exit_code = 0;
  for (const std::string& name : names) {
    auto resp = ctx.client.request(op.method, op.target(api::http::percent_encode(name)));
    if (!resp.ok()) {
      print_error("error during connect: " + resp.error().message);
      exit_code = 1;
      continue;
    }
    if (is_success(resp->status) || resp->status == 304) {
      if (op.on_success) {
        op.on_success(name, *resp);
      } else {
        (void)write_all(1, name + "\n");
      }
    } else {
      print_daemon_error(*resp);
      exit_code = 1;
    }
  }
  return exit_code;
}

}  // namespace berth::cli
