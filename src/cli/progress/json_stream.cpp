#include "cli/progress/json_stream.h"

#include "base/file.h"
#include "base/json.h"
#include "cli/context.h"

namespace berth::cli {

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
    auto j = parse_json(*line, "json message");
    if (!j.ok() || !j->is_object()) {
      (void)write_all(1, *line + "\n");
      continue;
    }
    if (j->contains("error") || j->contains("errorDetail")) {
      std::string msg = json_string(*j, "error");
      if (msg.empty() && (*j)["errorDetail"].is_object())
        msg = json_string((*j)["errorDetail"], "message");
      print_error(msg);
      exit_code = 1;
      continue;
    }
    if (j->contains("stream")) {
      (void)write_all(1, json_string(*j, "stream"));
      continue;
    }
    if (j->contains("status")) {
      std::string text;
      std::string id = json_string(*j, "id");
      if (!id.empty()) text = id + ": ";
      text += json_string(*j, "status");
      std::string progress = json_string(*j, "progress");
      if (!progress.empty()) text += " " + progress;
      (void)write_all(1, text + "\n");
      continue;
    }
    if (j->contains("aux") && (*j)["aux"].is_object() && aux_id != nullptr) {
      *aux_id = json_string((*j)["aux"], "ID");
    }
  }
  return exit_code;
}

}  // namespace berth::cli
