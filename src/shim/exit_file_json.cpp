#include "base/file.h"
#include "base/json.h"
#include "shim/exit_file.h"

namespace berth::shim {

std::string exit_status_to_json(const ExitStatus& s) {
  return dump_json(Json{
      {"exit_code", s.exit_code}, {"finished_at", s.finished_at}, {"oom_killed", s.oom_killed}});
}

Result<ExitStatus> exit_status_from_json(const std::string& text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "exit.json"));
  try {
    ExitStatus s;
    s.exit_code = j.at("exit_code").get<int>();
    s.finished_at = j.value("finished_at", int64_t{0});
    s.oom_killed = j.value("oom_killed", false);
    return s;
  } catch (const Json::exception& e) {
    return make_error(Code::kDataLoss, std::string("exit.json: ") + e.what());
  }
}

Status write_exit_file(const std::string& state_dir, const ExitStatus& s) {
  return write_file_atomic(state_dir + "/exit.json", exit_status_to_json(s));
}

Result<ExitStatus> read_exit_file(const std::string& state_dir) {
  auto text = read_file(state_dir + "/exit.json");
  if (!text) return std::move(text).error();  // NotFound while running
  return exit_status_from_json(*text);
}

}  // namespace berth::shim
