// Shared by the cgroup v1 and v2 managers; not part of the library's public headers.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/strings.h"
#include "base/unique_fd.h"
#include "runtime/cgroups/cgroup.h"

namespace berth::runtime {

std::unique_ptr<Cgroup> make_cgroup_v1(const std::string& root, const std::string& rel);
std::unique_ptr<Cgroup> make_cgroup_v2(const std::string& root, const std::string& rel);

namespace cgroup_internal {
// Opens with O_CREAT so a temp-dir root works; a real cgroupfs ignores it for existing files.
Status write_value(const std::string& dir, const std::string& file, const std::string& value);
Result<std::vector<pid_t>> read_procs(const std::string& dir);
Status remove_dir(const std::string& dir);
}  // namespace cgroup_internal

}  // namespace berth::runtime
