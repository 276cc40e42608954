// The per-container state dir: <root>/<id>/state.json (what the runtime needs after create
// returned) and exec.fifo.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

#include "base/error.h"

namespace berth::runtime {

struct ContainerRecord {
  std::string id;
  pid_t pid = 0;
  uint64_t start_time = 0;  // field 22 of /proc/<pid>/stat: tells a reused pid apart
  std::string bundle;
  std::string rootfs;
  std::string cgroups_path;
  int64_t created = 0;  // unix nanos
  std::map<std::string, std::string> annotations;
};

std::string container_dir(const std::string& root, const std::string& id);
std::string fifo_path(const std::string& root, const std::string& id);
Status validate_id(const std::string& id);

Status save_record(const std::string& root, const ContainerRecord& record);
// NotFound when there is no such container.
Result<ContainerRecord> load_record(const std::string& root, const std::string& id);
std::string record_to_json(const ContainerRecord& r);
Result<ContainerRecord> record_from_json(const std::string& text);

// 0 when the process is gone.
uint64_t process_start_time(pid_t pid);
// The record's init is alive (not a zombie, same start time).
bool init_alive(const ContainerRecord& r);

}  // namespace berth::runtime
