#include "engine/log_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/json.h"
#include "base/time.h"
#include "shim/log_format.h"

namespace berth::engine {

namespace {

bool parse_json_line(std::string_view line, LogEntry* out) {
  auto j = parse_json(line, "log line");
  if (!j || !j->is_object()) return false;
  out->stream = json_string(*j, "stream") == "stderr" ? 2 : 1;
  out->data = json_string(*j, "log");
  int64_t t = 0;
  parse_rfc3339(json_string(*j, "time"), &t);
  out->time = t;
  return true;
}

// The highest n for which <path>.n exists (rotated files are numbered without gaps).
int last_rotated(const std::string& path) {
  int n = 0;
  while (::access(shim::rotated_log_path(path, n + 1).c_str(), F_OK) == 0) ++n;
  return n;
}

}  // namespace

size_t decode_log_records(LogFormat format, std::string_view data, std::vector<LogEntry>* out) {
  size_t used = 0;
  if (format == LogFormat::kJsonFile) {
    for (;;) {
      size_t nl = data.find('\n', used);
      if (nl == std::string_view::npos) return used;
      LogEntry e;
      if (parse_json_line(data.substr(used, nl - used), &e)) out->push_back(std::move(e));
      used = nl + 1;
    }
  }
  while (used < data.size()) {
    shim::LocalEntry rec;
    auto n = shim::decode_local_entry(data.substr(used), &rec);
    if (!n) return data.size();
    if (*n == 0) break;
    used += *n;
    out->push_back({rec.source == "stderr" ? 2 : 1, rec.text(), rec.time_nano});
  }
  return used;
}

void LogFollower::drain(std::vector<LogEntry>* out) {
  if (!fd_) return;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd_.get(), buf, sizeof buf)) > 0) {
    pending_.append(buf, static_cast<size_t>(n));
    pending_.erase(0, decode_log_records(format_, pending_, out));
  }
}

void LogFollower::read_whole(const std::string& path, std::vector<LogEntry>* out) {
  UniqueFd saved = std::move(fd_);
  std::string saved_pending = std::move(pending_);
  fd_.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  pending_.clear();
  drain(out);
  fd_ = std::move(saved);
  pending_ = std::move(saved_pending);
}

void LogFollower::open_live(std::vector<LogEntry>* out) {
  fd_.reset(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  pending_.clear();
  struct stat st {};
  if (fd_ && ::fstat(fd_.get(), &st) == 0) {
    ino_ = st.st_ino;
    dev_ = st.st_dev;
  }
  drain(out);
}

std::vector<LogEntry> LogFollower::read_all() {
  std::vector<LogEntry> out;
  for (int n = last_rotated(path_); n >= 1; --n) read_whole(shim::rotated_log_path(path_, n), &out);
  open_live(&out);
  return out;
}

std::vector<LogEntry> LogFollower::poll() {
  std::vector<LogEntry> out;
  // Look at the live path before draining: once it is a new file, the one we hold was renamed
  // after its last write, so draining it now reads it to its true end.
  struct stat st {};
  bool live_exists = ::stat(path_.c_str(), &st) == 0;
  drain(&out);
  if (!live_exists || (fd_ && st.st_ino == ino_ && st.st_dev == dev_)) return out;
  if (fd_) {
    // Rotated: ours is now <path>.k; <path>.(k-1) ... <path>.1 came after it (more than one
    // rotation since the last poll), then the live file.
    int last = last_rotated(path_), k = 0;
    for (int n = 1; n <= last && !k; ++n) {
      struct stat rs {};
      if (::stat(shim::rotated_log_path(path_, n).c_str(), &rs) == 0 && rs.st_ino == ino_ &&
          rs.st_dev == dev_)
        k = n;
    }
    for (int n = k - 1; n >= 1; --n) read_whole(shim::rotated_log_path(path_, n), &out);
  }
  open_live(&out);
  return out;
}

}  // namespace berth::engine
