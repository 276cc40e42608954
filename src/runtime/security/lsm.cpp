// AppArmor and SELinux labels for the container process.  Neither LSM is required: a label the
// host cannot apply is dropped with a warning (docker does the same on hosts without AppArmor).
#include <fcntl.h>
#include <unistd.h>

#include "base/file.h"
#include "base/strings.h"
#include "base/unique_fd.h"
#include "runtime/internal/security.h"

namespace berth::runtime {

namespace {

bool apparmor_enabled() {
  auto text = read_file("/sys/module/apparmor/parameters/enabled");
  return text && trim(*text) == "Y";
}

bool selinux_enabled() { return path_exists("/sys/fs/selinux/enforce"); }

Status write_attr(const std::string& lsm_dir, const std::string& value) {
  // The LSM-specific dir exists since 5.8; older kernels have only the shared attr/exec.
  std::string path = "/proc/thread-self/attr/" + lsm_dir + "exec";
  if (!lsm_dir.empty() && !path_exists(path)) path = "/proc/thread-self/attr/exec";
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return sys_error("open " + path);
  if (::write(fd.get(), value.data(), value.size()) < 0)
    return sys_error("set exec label " + value);
  return ok_status();
}

}  // namespace

std::vector<std::string> drop_unsupported_labels(oci::Process* p) {
  std::vector<std::string> warnings;
  if (!p->apparmor_profile.empty() && !apparmor_enabled()) {
    warnings.push_back("apparmor is not enabled on this host: profile " + p->apparmor_profile +
                       " ignored");
    p->apparmor_profile.clear();
  }
  if (!p->selinux_label.empty() && !selinux_enabled()) {
    warnings.push_back("selinux is not enabled on this host: label " + p->selinux_label +
                       " ignored");
    p->selinux_label.clear();
  }
  return warnings;
}

Status apply_lsm_labels(const oci::Process& p) {
  if (!p.apparmor_profile.empty() && p.apparmor_profile != "unconfined")
    BERTH_TRY(write_attr("apparmor/", "exec " + p.apparmor_profile));
  if (!p.selinux_label.empty()) BERTH_TRY(write_attr("", p.selinux_label));
  return ok_status();
}

}  // namespace berth::runtime
