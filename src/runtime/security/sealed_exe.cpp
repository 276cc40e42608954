// Re-exec from a sealed memfd copy (CVE-2019-5736): /proc/<pid>/exe of a runtime process that
// joined a container then names a sealed, anonymous file, not the host binary.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/unique_fd.h"
#include "runtime/runtime.h"

extern char** environ;

namespace berth::runtime {

namespace {
constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
}

bool running_from_sealed_memfd() {
  UniqueFd fd(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  int seals = ::fcntl(fd.get(), F_GET_SEALS);
  return seals >= 0 && (seals & kSeals) == kSeals;
}

Status reexec_from_sealed_memfd(char** argv) {
  if (running_from_sealed_memfd()) return ok_status();
  UniqueFd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return sys_error("open /proc/self/exe");
  struct stat st {};
  if (::fstat(exe.get(), &st) != 0) return sys_error("stat /proc/self/exe");
  UniqueFd mem(::memfd_create("berth-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!mem) return sys_error("memfd_create");
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = ::sendfile(mem.get(), exe.get(), &off, st.st_size - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys_error("copy the runtime binary to a memfd");
  }
  if (::fcntl(mem.get(), F_ADD_SEALS, kSeals) != 0) return sys_error("seal the memfd");
  ::fexecve(mem.get(), argv, environ);
  return sys_error("fexecve the sealed runtime copy");
}

}  // namespace berth::runtime
