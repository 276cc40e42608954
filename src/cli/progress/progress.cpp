#include "cli/progress/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "base/file.h"
#include "cli/context.h"
#include "cli/progress/json_stream.h"
#include "model/image_json.h"

namespace berth::cli {

namespace {

std::string human(double size) {
  static const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int i = 0;
  while (size >= 1000 && i < 4) {
    size /= 1000;
    ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g%s", size, units[i]);
  return buf;
}

struct Speed {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  int64_t first = -1;
};

// "[=====>     ]  1.2MB/2.3MB  4.5MB/s"
std::string bar(int64_t cur, int64_t total, Speed& sp) {
  if (sp.first < 0) sp.first = cur;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - sp.start).count();
  std::string speed;
  if (secs > 0.05 && cur > sp.first) speed = "  " + human((cur - sp.first) / secs) + "/s";
  if (total <= 0) return human(static_cast<double>(cur)) + speed;
  int pct = std::min(50, static_cast<int>(static_cast<double>(cur) / total * 100) / 2);
  char nums[64];
  std::snprintf(nums, sizeof nums, "%8s/%s", human(static_cast<double>(cur)).c_str(),
                human(static_cast<double>(total)).c_str());
  return "[" + std::string(pct, '=') + ">" + std::string(50 - pct, ' ') + "] " + nums + speed;
}

}  // namespace

int print_progress_stream(api::StreamingResponse& resp, bool quiet, std::string* aux_digest) {
  bool tty = ::isatty(1) && !quiet;
  std::map<std::string, size_t> lines;  // id -> line index (terminal mode)
  std::map<std::string, Speed> speeds;
  int rc = 0;
  for (;;) {
    auto line = resp.read_line();
    if (!line) break;
    if (line->empty() || *line == "\r" || *line == "\r\n") continue;
    auto m = parse_json_message(*line);
    if (!m.ok()) continue;
    if (has_error(*m)) {
      if (tty) (void)write_all(1, "\n");
      print_error(error_text(*m));
      rc = 1;
      continue;
    }
    if (!m->aux.empty()) {
      if (aux_digest) {
        auto pushed = model::parse<model::PushResult>(m->aux.text(), "aux");
        if (pushed.ok()) *aux_digest = pushed->digest;
      }
      continue;
    }
    if (quiet) continue;
    const std::string& id = m->id;
    std::string status = m->stream.empty() ? m->status : m->stream;
    // The daemon sends progressDetail {} for a layer without numbers yet.
    bool has_progress =
        m->progress_detail && (m->progress_detail->current != 0 || m->progress_detail->total != 0);
    if (!tty) {
      // Plain output: each state once, no repeated transfer lines.
      if (has_progress &&
          (status == "Downloading" || status == "Pushing" || status == "Extracting"))
        continue;
      (void)write_all(1, (id.empty() ? "" : id + ": ") + status + "\n");
      continue;
    }
    std::string text = (id.empty() ? "" : id + ": ") + status;
    if (has_progress)
      text += " " + bar(m->progress_detail->current, m->progress_detail->total, speeds[id]);
    if (id.empty() ||
        (!has_progress && !lines.count(id) && status.find("Pulling from") != std::string::npos)) {
      lines.clear();
      (void)write_all(1, text + "\n");
      continue;
    }
    auto it = lines.find(id);
    if (it == lines.end()) {
      it = lines.emplace(id, lines.size()).first;
      (void)write_all(1, "\n");
    }
    size_t up = lines.size() - it->second;
    std::string out =
        "\x1b[" + std::to_string(up) + "A\r\x1b[2K" + text + "\r\x1b[" + std::to_string(up) + "B";
    (void)write_all(1, out);
  }
  return rc;
}

}  // namespace berth::cli
