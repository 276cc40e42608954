#include "runtime/internal/state_store.h"

#include <signal.h>

#include "base/file.h"
#include "base/strings.h"

namespace berth::runtime {

std::string container_dir(const std::string& root, const std::string& id) {
  return root + "/" + id;
}
std::string fifo_path(const std::string& root, const std::string& id) {
  return container_dir(root, id) + "/exec.fifo";
}

Status validate_id(const std::string& id) {
  if (id.empty() || id.size() > 1024 || id == "." || id == "..")
    return make_error(Code::kInvalidArgument, "invalid container id \"" + id + "\"");
  for (char c : id) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '+'))
      return make_error(Code::kInvalidArgument, "invalid container id \"" + id + "\"");
  }
  return ok_status();
}

Status save_record(const std::string& root, const ContainerRecord& r) {
  return write_file_atomic(container_dir(root, r.id) + "/state.json", record_to_json(r), 0600);
}

Result<ContainerRecord> load_record(const std::string& root, const std::string& id) {
  BERTH_TRY(validate_id(id));
  auto text = read_file(container_dir(root, id) + "/state.json");
  if (!text) {
    if (text.error().code == Code::kNotFound)
      return make_error(Code::kNotFound, "container " + id + " does not exist");
    return std::move(text).error();
  }
  return record_from_json(*text);
}

uint64_t process_start_time(pid_t pid) {
  auto text = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return 0;
  // comm (field 2) may hold spaces and parens: fields resume after the last ')'.
  auto pos = text->rfind(')');
  if (pos == std::string::npos) return 0;
  auto fields = split(std::string_view(*text).substr(pos + 2), ' ');
  // fields[0] is field 3 (state); start time is field 22.
  if (fields.size() < 20 || fields[0] == "Z" || fields[0] == "X") return 0;
  long long v = 0;
  return parse_int64(fields[19], &v) ? static_cast<uint64_t>(v) : 0;
}

bool init_alive(const ContainerRecord& r) {
  if (r.pid <= 0) return false;
  uint64_t st = process_start_time(r.pid);
  return st != 0 && st == r.start_time;
}

}  // namespace berth::runtime
