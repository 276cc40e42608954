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
  if (j->contains("attrs") && (*j)["attrs"].is_object())
    for (auto& [k, v] : (*j)["attrs"].items())
      if (v.is_string()) out->attrs.emplace_back(k, v.get<std::string>());
  return true;
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// The highest n for which <path>.n exists.  Rotated files are numbered without gaps, except for
// a moment while the writer renames them one up (.1 -> .2 first, then the live file -> .1).
int last_rotated(const std::string& path) {
  int n = 0;
  while (exists(shim::rotated_log_path(path, n + 1)) || exists(shim::rotated_log_path(path, n + 2)))
    ++n;
  return n;
}

bool same_file(const std::string& path, ino_t ino, dev_t dev) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && st.st_ino == ino && st.st_dev == dev;
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
    out->push_back(
        {rec.source == "stderr" ? 2 : 1, rec.text(), rec.time_nano, std::move(rec.attrs)});
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

void LogFollower::read_in_order(std::vector<UniqueFd> files, std::vector<LogEntry>* out) {
  for (auto& fd : files) {
    fd_ = std::move(fd);
    pending_.clear();
    struct stat st {};
    if (fd_ && ::fstat(fd_.get(), &st) == 0) {
      ino_ = st.st_ino;
      dev_ = st.st_dev;
    }
    drain(out);
  }
}

std::vector<LogEntry> LogFollower::read_all() {
  // Opened first, read after: the window for a rotation to shift names under us stays small.
  std::vector<UniqueFd> files;
  for (int n = last_rotated(path_); n >= 1; --n) {
    UniqueFd fd(::open(shim::rotated_log_path(path_, n).c_str(), O_RDONLY | O_CLOEXEC));
    if (fd) files.push_back(std::move(fd));
  }
  files.emplace_back(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  std::vector<LogEntry> out;
  read_in_order(std::move(files), &out);
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
  if (!fd_) {
    std::vector<UniqueFd> live;
    live.emplace_back(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    read_in_order(std::move(live), &out);
    return out;
  }
  // Rotated: ours is now <path>.k; <path>.(k-1) ... <path>.1 came after it (more than one
  // rotation since the last poll), then the live file.  They are opened together, and again if
  // the writer rotated meanwhile (ours no longer .k), so none is skipped.
  std::vector<UniqueFd> next;
  for (int attempt = 0; attempt < 3; ++attempt) {
    next.clear();
    int last = last_rotated(path_), k = 0;
    for (int n = 1; n <= last && !k; ++n)
      if (same_file(shim::rotated_log_path(path_, n), ino_, dev_)) k = n;
    for (int n = k - 1; n >= 1; --n) {
      UniqueFd fd(::open(shim::rotated_log_path(path_, n).c_str(), O_RDONLY | O_CLOEXEC));
      if (fd) next.push_back(std::move(fd));
    }
    next.emplace_back(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (k == 0 || same_file(shim::rotated_log_path(path_, k), ino_, dev_)) break;
  }
  read_in_order(std::move(next), &out);
  return out;
}

}  // namespace berth::engine
