// berth logs [-f] [--tail N] [-t] [--since T] [--until T] [--details] CONTAINER
#include "base/file.h"
#include "base/time.h"
#include "cli/commands.h"
#include "cli/flags/timeutil.h"
#include "cli/flags/usage.h"
#include "cli/streams/demux.h"
#include "model/container_json.h"

namespace berth::cli {

int cmd_logs(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("follow", 'f', "Follow log output");
  flags.add_string("tail", 'n', "all", "Number of lines to show from the end of the logs");
  flags.add_bool("timestamps", 't', "Show timestamps");
  flags.add_string("since", 0, "", "Show logs since timestamp or relative");
  flags.add_string("until", 0, "", "Show logs before a timestamp or relative");
  flags.add_bool("details", 0, "Show extra details provided to logs");
  int rc = parse_flags(flags, "logs", "logs [OPTIONS] CONTAINER", args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1)
    return args_error("logs", "logs [OPTIONS] CONTAINER", "requires 1 argument");
  if (!ctx.connect().ok()) return 1;
  std::string name = api::http::percent_encode(flags.args()[0]);
  auto info = ctx.call("GET", "/containers/" + name + "/json");
  if (!info.ok()) return 1;
  if (!is_success(info->status)) {
    print_daemon_error(*info);
    return 1;
  }
  auto c = decode_body<model::ContainerInspectResponse>(info->body, "container inspect");
  if (!c.ok()) return 1;
  bool tty = c->config && c->config->tty;

  std::string target = "/containers/" + name + "/logs?stdout=1&stderr=1";
  if (flags.get_bool("follow")) target += "&follow=1";
  if (flags.get_bool("timestamps")) target += "&timestamps=1";
  if (flags.get_bool("details")) target += "&details=1";
  target += "&tail=" + api::http::percent_encode(flags.get_string("tail"));
  for (const char* key : {"since", "until"}) {
    if (!flags.changed(key)) continue;
    auto ts = api_timestamp(flags.get_string(key), now_nanos());
    if (!ts.ok()) {
      print_error(ts.error().message);
      return 1;
    }
    target += std::string("&") + key + "=" + api::http::percent_encode(*ts);
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
  Demuxer demux(1, 2);
  char buf[32768];
  while (true) {
    auto n = resp->read_some(buf, sizeof buf);
    if (!n.ok()) {
      print_error("error reading logs: " + n.error().message);
      return 1;
    }
    if (*n == 0) break;
    std::string_view data(buf, *n);
    auto st = tty ? write_all(1, data) : demux.feed(data);
    if (!st.ok()) {
      print_error(st.error().message);
      return 1;
    }
  }
  return 0;
}

}  // namespace berth::cli
