// Reading a container's log files back, as `docker logs` does: the rotated files oldest first
// (<path>.N ... <path>.1), then the live <path>; and following the live file across rotations.
// The shim writes, this only reads: the writer is another process that may have outlived any
// number of daemons, so rotation is seen through the file system (the live path's inode changes)
// rather than by a notification.  One LogFollower per reading request; not thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/unique_fd.h"
#include "shim/log_format.h"

namespace berth::engine {

struct LogEntry {
  int stream = 1;  // 1 stdout, 2 stderr
  std::string data;
  int64_t time = 0;  // unix nanos
  shim::LogAttrs attrs;
};

enum class LogFormat { kJsonFile, kLocal };

// Decodes the whole records at the front of `data` into `out`; returns the bytes they took (a
// record still being appended stays for the next call).  Undecodable json lines are skipped;
// a local file whose framing is broken is given up at that point (all of it is consumed).
size_t decode_log_records(LogFormat format, std::string_view data, std::vector<LogEntry>* out);

class LogFollower {
 public:
  LogFollower(std::string path, LogFormat format) : path_(std::move(path)), format_(format) {}
  // Everything stored now, oldest first; the live file stays open for poll().
  std::vector<LogEntry> read_all();
  // What was written since the last call, including files rotated away in between.
  std::vector<LogEntry> poll();

 private:
  void drain(std::vector<LogEntry>* out);
  // Reads each file to its end, oldest first; the last one (the live file) stays as fd_.
  void read_in_order(std::vector<UniqueFd> files, std::vector<LogEntry>* out);
  std::string path_;
  LogFormat format_;
  UniqueFd fd_;  // the file being followed (the live one when it was opened)
  ino_t ino_ = 0;
  dev_t dev_ = 0;
  std::string pending_;  // bytes of a record not yet complete
};

}  // namespace berth::engine
