// berth compose logs [-f] [--tail N] [-t] [--since T] [--no-log-prefix] [SERVICE...]
// Each container's log lines prefixed "name  | ", followed in parallel with -f.
#include <mutex>
#include <thread>

#include "api/http/message.h"
#include "base/file.h"
#include "cli/compose/compose_api.h"
#include "compose/container_spec.h"

namespace berth::cli {

namespace {

// Reads Docker's multiplexed frames (8-byte headers) and writes whole lines with a prefix.
class PrefixWriter {
 public:
  PrefixWriter(std::string prefix, std::mutex& mu) : prefix_(std::move(prefix)), mu_(mu) {}
  void feed(std::string_view data, bool framed) {
    if (!framed) {
      lines(data, 1);
      return;
    }
    buf_.append(data);
    while (buf_.size() >= 8) {
      uint32_t size = (static_cast<unsigned char>(buf_[4]) << 24) |
                      (static_cast<unsigned char>(buf_[5]) << 16) |
                      (static_cast<unsigned char>(buf_[6]) << 8) |
                      static_cast<unsigned char>(buf_[7]);
      if (buf_.size() < 8 + size) break;
      int stream = buf_[0] == 2 ? 2 : 1;
      lines(std::string_view(buf_).substr(8, size), stream);
      buf_.erase(0, 8 + size);
    }
  }
  void flush() {
    for (int s : {1, 2}) {
      if (!pending_[s].empty()) emit(pending_[s] + "\n", s);
      pending_[s].clear();
    }
  }

 private:
  void lines(std::string_view data, int stream) {
    std::string& p = pending_[stream];
    p.append(data);
    size_t nl;
    while ((nl = p.find('\n')) != std::string::npos) {
      emit(p.substr(0, nl + 1), stream);
      p.erase(0, nl + 1);
    }
  }
  void emit(const std::string& line, int stream) {
    std::lock_guard lock(mu_);
    (void)write_all(stream, prefix_ + line);
  }
  std::string prefix_;
  std::mutex& mu_;
  std::string buf_;
  std::string pending_[3];
};

}  // namespace

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
  auto project = cc.project();
  if (!project.ok()) return 1;
  auto api = compose_api(cc);
  if (!api) return 1;
  auto list = compose::project_containers(*api, project->name);
  if (!list.ok()) {
    print_error(list.error().message);
    return 1;
  }
  std::vector<model::ContainerSummary> targets;
  size_t width = 0;
  for (const auto& c : *list) {
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
      api::Client client = api->client();
      std::string name = compose::summary_name(c);
      std::string prefix = flags.get_bool("no-log-prefix")
                               ? ""
                               : name + std::string(width - name.size(), ' ') + "  | ";
      PrefixWriter w(prefix, out_mu);
      auto resp = client.stream("GET", "/containers/" + c.id + "/logs" + query);
      if (!resp.ok() || resp->status != 200) return;
      bool framed = resp->headers.get("Content-Type") != "application/vnd.docker.raw-stream";
      char buf[8192];
      while (true) {
        auto n = resp->read_some(buf, sizeof buf);
        if (!n.ok() || *n == 0) break;
        w.feed(std::string_view(buf, *n), framed);
      }
      w.flush();
    });
  }
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace berth::cli
