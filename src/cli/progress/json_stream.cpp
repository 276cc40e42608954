#include "cli/progress/json_stream.h"

#include "base/file.h"
#include "cli/context.h"
#include "model/build_json.h"
#include "model/image_json.h"

namespace berth::cli {

Result<model::JSONMessage> parse_json_message(const std::string& line) {
  BERTH_TRY_ASSIGN(Json j, parse_json(line, "json message"));
  if (!j.is_object()) return make_error(Code::kInvalidArgument, "json message: not an object");
  return model::from_json<model::JSONMessage>(j);
}

bool has_error(const model::JSONMessage& m) { return !m.error.empty() || m.error_detail; }

std::string error_text(const model::JSONMessage& m) {
  if (!m.error.empty() || !m.error_detail) return m.error;
  return m.error_detail->message;
}

int print_json_stream(api::StreamingResponse& resp, std::string* aux_id) {
  int exit_code = 0;
  while (true) {
    auto line = resp.read_line();
    if (!line.ok()) {
      if (line.error().code == Code::kUnavailable) break;
      print_error("error reading response: " + line.error().message);
      return 1;
    }
    if (line->empty()) continue;
    auto m = parse_json_message(*line);
    if (!m.ok()) {
      (void)write_all(1, *line + "\n");
      continue;
    }
    if (has_error(*m)) {
      print_error(error_text(*m));
      exit_code = 1;
      continue;
    }
    if (!m->stream.empty()) {
      (void)write_all(1, m->stream);
      continue;
    }
    if (!m->status.empty()) {
      std::string text;
      if (!m->id.empty()) text = m->id + ": ";
      text += m->status;
      if (!m->progress.empty()) text += " " + m->progress;
      (void)write_all(1, text + "\n");
      continue;
    }
    if (!m->aux.empty() && aux_id != nullptr) {
      auto result = model::parse<model::BuildResult>(m->aux.text(), "aux");
      if (result.ok()) *aux_id = result->id;
    }
  }
  return exit_code;
}

}  // namespace berth::cli
