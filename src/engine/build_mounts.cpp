// RUN --mount support for build steps (see build_mounts.h).
#include "engine/build_mounts.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/file.h"
#include "base/random_id.h"
#include "base/strings.h"

namespace berth::engine {

Result<SecretMount> SecretMount::create(
    const std::string& parent, const std::vector<builder::Backend::RunSpec::SecretFile>& files) {
  SecretMount m(parent + "/secrets-" + random_hex_id().substr(0, 16));
  BERTH_TRY(make_dirs(m.dir_, 0700));
  size_t total = 0;
  for (auto& f : files) total += f.data.size();
  // tmpfs: the values never touch a disk, and vanish with the mount.
  std::string opts = "mode=0700,size=" + std::to_string(64 * 1024 + 2 * total);
  if (::mount("tmpfs", m.dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts.c_str()) !=
      0) {
    Error err = sys_error("mount tmpfs for build secrets at " + m.dir_);
    (void)::rmdir(m.dir_.c_str());
    m.dir_.clear();
    return err;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    std::string path = m.dir_ + "/" + std::to_string(i);
    BERTH_TRY(write_file(path, files[i].data, 0600));
    if (::chown(path.c_str(), files[i].uid, files[i].gid) != 0)
      return sys_error("chown secret " + files[i].target);
    if (::chmod(path.c_str(), static_cast<mode_t>(files[i].mode)) != 0)
      return sys_error("chmod secret " + files[i].target);
    m.binds_.push_back(path + ":" + files[i].target + ":ro");
  }
  return m;
}

SecretMount::~SecretMount() {
  if (dir_.empty()) return;
  (void)::umount2(dir_.c_str(), MNT_DETACH);
  (void)::rmdir(dir_.c_str());
}

namespace {

// The path's components: "/run/secrets/x" -> {"run", "secrets", "x"}; "" for ".." anywhere.
std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> out;
  for (auto& c : split(path, '/')) {
    if (c.empty() || c == ".") continue;
    if (c == "..") return {};
    out.push_back(c);
  }
  return out;
}

std::string prefix(const std::vector<std::string>& comps, size_t n) {
  std::string p;
  for (size_t i = 0; i < n; ++i) p += "/" + comps[i];
  return p;
}

enum class InImage { kAbsent, kPresent, kThroughSymlink };

// Whether `rel` exists in any lower dir; a symlink on the way makes the answer unknowable here.
InImage in_image(const std::vector<std::string>& lowers, const std::vector<std::string>& comps,
                 size_t n, struct stat* found) {
  for (auto& lower : lowers) {
    bool all = true;
    for (size_t i = 1; i <= n; ++i) {
      struct stat st;
      if (::lstat((lower + prefix(comps, i)).c_str(), &st) != 0) {
        all = false;
        break;
      }
      if (S_ISLNK(st.st_mode)) return InImage::kThroughSymlink;
      if (i == n) *found = st;
    }
    if (all) return InImage::kPresent;
  }
  return InImage::kAbsent;
}

// Entries of a directory (no . and ..); -1 when it cannot be read.
int entry_count(const std::string& dir, std::string* only) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return -1;
  int n = 0;
  while (dirent* de = ::readdir(d)) {
    std::string name = de->d_name;
    if (name == "." || name == "..") continue;
    ++n;
    if (only) *only = name;
  }
  ::closedir(d);
  return n;
}

bool is_real_dir(const std::string& path, struct stat* st) {
  return ::lstat(path.c_str(), st) == 0 && S_ISDIR(st->st_mode);
}

void remove_stub(const std::string& upper, const std::vector<std::string>& lowers,
                 const std::vector<std::string>& comps) {
  size_t n = comps.size();
  // The first component the image lacks: the runtime made it and everything below it.
  size_t first = 0;
  struct stat lower_st;
  for (size_t i = 1; i <= n; ++i) {
    InImage r = in_image(lowers, comps, i, &lower_st);
    if (r == InImage::kThroughSymlink) return;
    if (r == InImage::kAbsent) {
      first = i;
      break;
    }
  }
  if (first == 0) return;  // the target exists in the image: nothing was created
  // The upper dir's path down to the stub root must be real directories.
  struct stat st;
  for (size_t i = 1; i < first; ++i)
    if (!is_real_dir(upper + prefix(comps, i), &st)) return;
  // From the stub root down: directories holding only the next component, then an empty
  // target (file or directory).
  for (size_t i = first; i < n; ++i) {
    std::string only;
    if (!is_real_dir(upper + prefix(comps, i), &st) ||
        entry_count(upper + prefix(comps, i), &only) != 1 || only != comps[i])
      return;
  }
  std::string target = upper + prefix(comps, n);
  if (::lstat(target.c_str(), &st) != 0) return;
  if (S_ISREG(st.st_mode) ? st.st_size != 0
                          : !S_ISDIR(st.st_mode) || entry_count(target, nullptr) != 0)
    return;
  if (S_ISDIR(st.st_mode) ? ::rmdir(target.c_str()) != 0 : ::unlink(target.c_str()) != 0) return;
  for (size_t i = n - 1; i >= first; --i)
    if (::rmdir((upper + prefix(comps, i)).c_str()) != 0) return;
  // Parents copied up only to hold the stub: empty, not opaque, same mode and owner as below.
  for (size_t i = first - 1; i >= 1; --i) {
    std::string dir = upper + prefix(comps, i);
    if (!is_real_dir(dir, &st) || entry_count(dir, nullptr) != 0) return;
    if (in_image(lowers, comps, i, &lower_st) != InImage::kPresent) return;
    if (lower_st.st_mode != st.st_mode || lower_st.st_uid != st.st_uid ||
        lower_st.st_gid != st.st_gid)
      return;
    char v;
    if (::lgetxattr(dir.c_str(), "trusted.overlay.opaque", &v, 1) >= 0) return;
    if (::rmdir(dir.c_str()) != 0) return;
  }
}

}  // namespace

void remove_mount_stubs(const std::string& upper, const std::vector<std::string>& lowers,
                        const std::vector<std::string>& targets) {
  for (auto& t : targets) {
    auto comps = components(t);
    if (!comps.empty()) remove_stub(upper, lowers, comps);
  }
}

}  // namespace berth::engine
