// Capabilities through the raw syscalls: libcap would be one more library for ~60 lines.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "base/file.h"
#include "base/strings.h"
#include "runtime/capability_names.h"
#include "runtime/internal/process.h"

namespace berth::runtime {

namespace {
int last_cap() {
  auto text = read_file("/proc/sys/kernel/cap_last_cap");
  long long v = 0;
  if (text && parse_int64(trim(*text), &v)) return static_cast<int>(v);
  return CAP_LAST_CAP;
}

Result<uint64_t> mask_of(const std::vector<std::string>& names) {
  uint64_t m = 0;
  const int last = last_cap();  // one read of /proc per set, not one per capability
  for (auto& n : names) {
    int c = capability_number(n);
    if (c < 0) return make_error(Code::kInvalidArgument, "unknown capability " + n);
    if (c <= last) m |= uint64_t{1} << c;
  }
  return m;
}
}  // namespace

Status drop_bounding(const oci::Capabilities& caps) {
  BERTH_TRY_ASSIGN(uint64_t keep, mask_of(caps.bounding));
  for (int c = 0; c <= last_cap(); ++c) {
    if (keep & (uint64_t{1} << c)) continue;
    if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL)
      return sys_error("drop capability " + std::to_string(c) + " from the bounding set");
  }
  return ok_status();
}

Status apply_capabilities(const oci::Capabilities& caps) {
  BERTH_TRY_ASSIGN(uint64_t eff, mask_of(caps.effective));
  BERTH_TRY_ASSIGN(uint64_t perm, mask_of(caps.permitted));
  BERTH_TRY_ASSIGN(uint64_t inh, mask_of(caps.inheritable));
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  data[0].effective = static_cast<uint32_t>(eff);
  data[1].effective = static_cast<uint32_t>(eff >> 32);
  data[0].permitted = static_cast<uint32_t>(perm);
  data[1].permitted = static_cast<uint32_t>(perm >> 32);
  data[0].inheritable = static_cast<uint32_t>(inh);
  data[1].inheritable = static_cast<uint32_t>(inh >> 32);
  if (::syscall(SYS_capset, &hdr, data) != 0) return sys_error("capset");
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  for (auto& n : caps.ambient) {
    int c = capability_number(n);
    // Raising fails unless the cap is permitted and inheritable; runc ignores that too.
    if (c >= 0) ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0);
  }
  return ok_status();
}

Result<std::string> find_executable(const std::string& name, const std::vector<std::string>& env) {
  if (name.empty()) return make_error(Code::kInvalidArgument, "process.args is empty");
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) != 0) return sys_error("exec: \"" + name + "\"");
    return name;
  }
  std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (auto& e : env)
    if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
  for (auto& dir : split(path, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return make_error(Code::kNotFound, "exec: \"" + name + "\": executable file not found in $PATH");
}

}  // namespace berth::runtime
