#include "shim/log_writer.h"

#include "base/time.h"
#include "shim/log_format.h"

namespace berth::shim {

namespace {
constexpr size_t kMaxLine = 16 * 1024;
const char* kStreams[2] = {"stdout", "stderr"};
}  // namespace

Result<LogWriter> LogWriter::open(const LogSettings& s) {
  LogWriter w;
  if (s.path.empty() || s.driver == "none") return w;
  if (s.driver != "json-file" && s.driver != "local")
    return make_error(Code::kInvalidArgument, "unknown log driver " + s.driver);
  w.local_ = s.driver == "local";
  if (w.local_)
    w.record_.attrs = s.attrs;
  else
    w.json_attrs_ = json_log_attrs(s.attrs);
  BERTH_TRY_ASSIGN(w.file_, RotatingFile::open(s.path, s.max_size, s.max_files));
  return w;
}

void LogWriter::emit(int stream, std::string_view chunk, bool terminated) {
  if (!file_.is_open()) return;
  int64_t now = now_nanos();
  if (!local_) {
    file_.append(json_log_entry(chunk, kStreams[stream], now, json_attrs_));
    return;
  }
  LocalEntry& e = record_;
  e.partial = false;
  e.last = false;
  e.partial_id.clear();
  e.ordinal = 0;
  e.source = kStreams[stream];
  e.time_nano = now;
  e.line = terminated ? chunk.substr(0, chunk.size() - 1) : chunk;
  // A message cut at 16 KiB goes out as partial entries; its terminated piece is the last one.
  int32_t& ordinal = ordinal_[stream];
  if (!terminated || ordinal > 0) {
    if (ordinal == 0) partial_id_[stream] = std::to_string(now);
    e.partial = true;
    e.last = terminated;
    e.partial_id = partial_id_[stream];
    e.ordinal = ++ordinal;
  }
  if (terminated) ordinal = 0;
  file_.append(encode_local_entry(e));
}

void LogWriter::emit_line(int stream, std::string_view line) {
  while (line.size() > kMaxLine + 1) {  // +1: the newline
    emit(stream, line.substr(0, kMaxLine), false);
    line.remove_prefix(kMaxLine);
  }
  emit(stream, line, true);
}

void LogWriter::write(int stream, std::string_view data) {
  std::string& p = pending_[stream];
  p.append(data);
  size_t start = 0;
  for (;;) {
    size_t nl = p.find('\n', start);
    if (nl == std::string::npos) break;
    emit_line(stream, std::string_view(p).substr(start, nl + 1 - start));
    start = nl + 1;
  }
  p.erase(0, start);
  while (p.size() >= kMaxLine) {
    emit(stream, std::string_view(p).substr(0, kMaxLine), false);
    p.erase(0, kMaxLine);
  }
}

void LogWriter::flush() {
  for (int s = 0; s < 2; ++s) {
    if (!pending_[s].empty()) emit(s, pending_[s], false);
    pending_[s].clear();
  }
}

}  // namespace berth::shim
