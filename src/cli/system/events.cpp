// berth events [--since T] [--until T] [-f k=v]... [--format TEMPLATE]: GET /events with
// since/until (docker's timestamps) and filters, one JSON message per line, printed as docker's
// prettyPrintEvent or through the template.
#include <algorithm>
#include <ctime>
#include <optional>

#include "base/file.h"
#include "base/strings.h"
#include "base/time.h"
#include "cli/commands.h"
#include "cli/flags/filters.h"
#include "cli/flags/timeutil.h"
#include "cli/flags/usage.h"
#include "cli/format/template.h"
#include "model/system_json.h"

namespace berth::cli {

namespace {

// jsonmessage.RFC3339NanoFixed in the local zone: 2006-01-02T15:04:05.000000000Z07:00
std::string rfc3339_nano_fixed(int64_t nanos) {
  time_t secs = static_cast<time_t>(nanos / 1000000000);
  struct tm tm {};
  localtime_r(&secs, &tm);
  char date[64], zone[16];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  std::strftime(zone, sizeof zone, "%z", &tm);
  std::string z = zone;
  z = z == "+0000" ? "Z" : z.substr(0, 3) + ":" + z.substr(3);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(nanos % 1000000000));
  return std::string(date) + frac + z;
}

// docker's prettyPrintEvent.
std::string pretty_event(const model::EventMessage& e) {
  std::string out;
  if (e.time_nano != 0) {
    out += rfc3339_nano_fixed(e.time_nano) + " ";
  } else if (e.time != 0) {
    out += rfc3339_nano_fixed(e.time * 1000000000) + " ";
  }
  out += e.type + " " + e.action + " " + e.actor.id;
  if (!e.actor.attributes.empty()) {
    std::vector<std::string> kv;
    for (const auto& [k, v] : e.actor.attributes) kv.push_back(k + "=" + v);
    std::sort(kv.begin(), kv.end());
    out += " (" + join(kv, ", ") + ")";
  }
  return out + "\n";
}

}  // namespace

int cmd_events(Context& ctx, const Args& args) {
  const char* usage = "events [OPTIONS]";
  Flags flags;
  flags.add_string("since", 0, "", "Show all events created since timestamp");
  flags.add_string("until", 0, "", "Stream events until this timestamp");
  flags.add_list("filter", 'f', "Filter output based on conditions provided");
  flags.add_string("format", 0, "", "Format output using a custom template");
  int rc = parse_flags(flags, "events", usage, args);
  if (rc >= 0) return rc;
  if (!flags.args().empty()) return args_error("events", usage, "accepts no arguments");
  auto filters = filters_query(flags.get_list("filter"));
  if (!filters.ok()) return flag_error("events", filters.error());
  std::string format = flags.get_string("format");
  if (format == "json") format = "{{json .}}";
  std::optional<Template> tmpl;
  if (!format.empty()) {
    auto t = Template::parse(format);
    if (!t.ok()) {
      print_error("template parsing error: " + t.error().message);
      return 64;
    }
    tmpl = std::move(*t);
  }
  std::string query;
  int64_t now = now_nanos();
  for (const char* key : {"since", "until"}) {
    if (!flags.changed(key)) continue;
    auto ts = api_timestamp(flags.get_string(key), now);
    if (!ts.ok()) {
      print_error(ts.error().message);
      return 1;
    }
    query += std::string("&") + key + "=" + api::http::percent_encode(*ts);
  }
  if (!filters->empty()) query += "&" + *filters;
  if (!query.empty()) query[0] = '?';
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.client.stream("GET", "/events" + query);
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    print_daemon_error(resp->status, resp->read_all().value_or(""));
    return 1;
  }
  while (true) {
    auto line = resp->read_line();
    if (!line.ok()) break;  // the end of the stream (--until) or the daemon went away
    if (trim(*line).empty()) continue;
    std::string out;
    if (tmpl) {
      // The template runs over the message as the daemon sent it (its key order, its fields).
      auto e = parse_ordered_json(*line);
      if (!e.ok()) continue;
      auto text = tmpl->execute(*e);
      if (!text.ok()) {
        print_error(text.error().message);
        return 1;
      }
      out = *text + "\n";
    } else {
      auto e = model::parse<model::EventMessage>(*line, "event");
      if (!e.ok()) continue;
      out = pretty_event(*e);
    }
    if (!write_all(1, out).ok()) return 0;
  }
  return 0;
}

}  // namespace berth::cli
