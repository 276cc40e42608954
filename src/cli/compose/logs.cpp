// berth compose logs [-f] [--tail N] [-t] [--since T] [--no-log-prefix] [SERVICE...]
// Each container's log lines prefixed "name  | ", followed in parallel with -f.
#include <algorithm>
#include <mutex>
#include <thread>

#include "api/http/message.h"
#include "base/file.h"
#include "cli/compose/compose_api.h"
#include "cli/compose/log_prefix.h"
#include "compose/container_spec.h"

namespace berth::cli {

void stream_container_logs(api::Client& client, const std::string& id, const std::string& query,
                           PrefixWriter& w) {
  auto resp = client.stream("GET", "/containers/" + id + "/logs" + query);
  if (!resp.ok() || resp->status != 200) return;
  bool framed = resp->headers.get("Content-Type") != "application/vnd.docker.raw-stream";
  char buf[8192];
  while (true) {
    auto n = resp->read_some(buf, sizeof buf);
    if (!n.ok() || *n == 0) break;
    w.feed(std::string_view(buf, *n), framed);
  }
}

int compose_logs(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_bool("follow", 'f', "Follow log output");
  flags.add_string("tail", 'n', "all", "Number of lines to show from the end of the logs");
  flags.add_bool("timestamps", 't', "Show timestamps");
  flags.add_string("since", 0, "", "Show logs since timestamp");
  flags.add_string("until", 0, "", "Show logs before a timestamp");
  flags.add_bool("no-log-prefix", 0, "Don't print prefix in logs");
  flags.add_bool("no-color", 0, "Produce monochrome output");
  int rc = parse_flags(flags, "compose logs", "compose logs [OPTIONS] [SERVICE...]", args);
  if (rc >= 0) return rc;
  auto loaded = load_project_containers(cc);
  if (!loaded) return 1;
  std::vector<model::ContainerSummary> targets;
  size_t width = 0;
  for (const auto& c : loaded->containers) {
    auto it = c.labels.find(compose::kLabelService);
    std::string svc = it == c.labels.end() ? "" : it->second;
    if (!flags.args().empty() &&
        std::find(flags.args().begin(), flags.args().end(), svc) == flags.args().end())
      continue;
    targets.push_back(c);
    width = std::max(width, compose::summary_name(c).size());
  }
  std::string query =
      "?stdout=1&stderr=1&tail=" + api::http::percent_encode(flags.get_string("tail"));
  if (flags.get_bool("follow")) query += "&follow=1";
  if (flags.get_bool("timestamps")) query += "&timestamps=1";
  if (flags.changed("since"))
    query += "&since=" + api::http::percent_encode(flags.get_string("since"));
  if (flags.changed("until"))
    query += "&until=" + api::http::percent_encode(flags.get_string("until"));
  std::mutex out_mu;
  std::vector<std::thread> threads;
  for (const auto& c : targets) {
    threads.emplace_back([&, c] {
      api::Client client = loaded->api.client();
      std::string name = compose::summary_name(c);
      std::string prefix = flags.get_bool("no-log-prefix")
                               ? ""
                               : name + std::string(width - name.size(), ' ') + "  | ";
      PrefixWriter w(prefix, out_mu);
      stream_container_logs(client, c.id, query, w);
      w.flush();
    });
  }
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace berth::cli
