#include "image/layer_unpack.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <functional>

#include "base/digest.h"
#include "base/file.h"
#include "base/random_id.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "image/internal/archive_util.h"

namespace berth::image {
namespace {

using internal::archive_err;
using internal::ArchiveReader;

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

// Feeds the inner tar reader from the outer decompressing reader, hashing every byte.
struct HashingSource {
  archive* outer;
  Sha256 sha;
  int64_t size = 0;
  char buf[1 << 16];
};

la_ssize_t hashing_read(archive* inner, void* data, const void** out) {
  auto* src = static_cast<HashingSource*>(data);
  la_ssize_t n = archive_read_data(src->outer, src->buf, sizeof src->buf);
  if (n < 0) {
    archive_set_error(inner, archive_errno(src->outer), "decompress: %s",
                      archive_error_string(src->outer));
    return -1;
  }
  src->sha.update(std::string_view(src->buf, n));
  src->size += n;
  *out = src->buf;
  return n;
}

Error bad_entry(const std::string& path, const std::string& why) {
  return make_error(Code::kInvalidArgument, "layer entry " + path + ": " + why);
}

// A relative path with no "..", no leading "/"; "./" prefixes and empty parts dropped.
Result<std::string> safe_relative(const std::string& raw) {
  if (!raw.empty() && raw.front() == '/') return bad_entry(raw, "absolute path not allowed");
  std::vector<std::string> parts;
  for (auto& p : split(raw, '/')) {
    if (p.empty() || p == ".") continue;
    if (p == "..") return bad_entry(raw, "path escapes the layer (\"..\")");
    parts.push_back(p);
  }
  return join(parts, "/");
}

// Every existing ancestor of `rel` inside `root` must be a real directory, never a symlink:
// writing through a symlink could land outside the layer.
Status check_parents(const std::string& root, const std::string& rel, const std::string& raw) {
  std::string cur = root;
  auto parts = split(rel, '/');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    cur += "/" + parts[i];
    struct stat st;
    if (::lstat(cur.c_str(), &st) != 0) {
      if (errno == ENOENT) return ok_status();
      return sys_error("lstat " + cur);
    }
    if (S_ISLNK(st.st_mode))
      return bad_entry(
          raw, "parent " + join({parts.begin(), parts.begin() + i + 1}, "/") + " is a symlink");
    if (!S_ISDIR(st.st_mode)) return bad_entry(raw, "parent is not a directory");
  }
  return ok_status();
}

std::string dir_of(const std::string& rel) {
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? "" : rel.substr(0, slash);
}
std::string base_of(const std::string& rel) {
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? rel : rel.substr(slash + 1);
}

Status apply_whiteout(const std::string& root, const std::string& rel, archive_entry* e) {
  std::string dir = root + (dir_of(rel).empty() ? "" : "/" + dir_of(rel));
  BERTH_TRY(make_dirs(dir));
  std::string base = base_of(rel);
  if (base == kOpaqueMarker) {
    if (::setxattr(dir.c_str(), "trusted.overlay.opaque", "y", 1, 0) != 0)
      return sys_error("set opaque xattr on " + dir);
    return ok_status();
  }
  if (base.compare(0, 8, ".wh..wh.") == 0) return ok_status();  // other AUFS metadata
  std::string target = dir + "/" + base.substr(kWhiteoutPrefix.size());
  if (::mknod(target.c_str(), S_IFCHR | 0600, makedev(0, 0)) != 0)
    return sys_error("mknod whiteout " + target);
  if (::lchown(target.c_str(), archive_entry_uid(e), archive_entry_gid(e)) != 0)
    return sys_error("chown whiteout " + target);
  return ok_status();
}

Status copy_data(archive* in, archive* out, const std::string& path) {
  const void* buf;
  size_t size;
  la_int64_t offset;
  for (;;) {
    int r = archive_read_data_block(in, &buf, &size, &offset);
    if (r == ARCHIVE_EOF) return ok_status();
    if (r < ARCHIVE_WARN) return archive_err(in, "read layer entry " + path);
    if (archive_write_data_block(out, buf, size, offset) < ARCHIVE_WARN)
      return archive_err(out, "write " + path);
  }
}

Status extract(archive* in, const std::string& root) {
  internal::ArchiveWriter disk(archive_write_disk_new());
  // NOABSOLUTEPATHS is enforced by safe_relative: entries are rewritten to absolute paths
  // under `root` so extraction never depends on the process's working directory.
  archive_write_disk_set_options(
      disk.get(), ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_TIME |
                      ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL |
                      ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  archive_entry* e = nullptr;
  for (;;) {
    int r = archive_read_next_header(in, &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) return archive_err(in, "read layer");
    std::string raw = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    BERTH_TRY_ASSIGN(std::string rel, safe_relative(raw));
    if (rel.empty()) continue;  // the layer root itself
    BERTH_TRY(check_parents(root, rel, raw));
    if (base_of(rel).compare(0, kWhiteoutPrefix.size(), kWhiteoutPrefix) == 0) {
      BERTH_TRY(apply_whiteout(root, rel, e));
      continue;
    }
    if (const char* link = archive_entry_hardlink(e)) {
      BERTH_TRY_ASSIGN(std::string target, safe_relative(link));
      if (target.empty()) return bad_entry(raw, "hard link to the layer root");
      BERTH_TRY(check_parents(root, target, raw));
      archive_entry_set_hardlink(e, (root + "/" + target).c_str());
    }
    archive_entry_set_pathname(e, (root + "/" + rel).c_str());
    r = archive_write_header(disk.get(), e);
    if (r < ARCHIVE_WARN) return archive_err(disk.get(), "extract " + raw);
    if (archive_entry_size(e) > 0 && !archive_entry_hardlink(e))
      BERTH_TRY(copy_data(in, disk.get(), raw));
    if (archive_write_finish_entry(disk.get()) < ARCHIVE_WARN)
      return archive_err(disk.get(), "extract " + raw);
  }
  // Directory permissions and times are fixed up at close, after all entries went in.
  if (archive_write_close(disk.get()) < ARCHIVE_WARN)
    return archive_err(disk.get(), "finish extraction");
  return ok_status();
}

}  // namespace

std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids) {
  std::vector<std::string> out;
  for (size_t i = 0; i < diff_ids.size(); ++i)
    out.push_back(i == 0 ? diff_ids[0] : sha256_digest(out.back() + " " + diff_ids[i]));
  return out;
}

namespace {
Result<int64_t> unpack_from(const std::function<Result<ArchiveReader>()>& open_outer,
                            const std::string& what, const std::string& diff_id,
                            const std::string& dest);
}  // namespace

Result<int64_t> unpack_layer(const std::string& blob_path, const std::string& diff_id,
                             const std::string& dest) {
  if (is_directory(dest)) return int64_t{0};
  return unpack_from([&] { return internal::open_decompressed(blob_path); }, blob_path, diff_id,
                     dest);
}

Result<int64_t> unpack_layer_stream(int fd, const std::string& diff_id, const std::string& dest) {
  return unpack_from([&] { return internal::open_decompressed_fd(fd); }, "stream", diff_id, dest);
}

namespace {
Result<int64_t> unpack_from(const std::function<Result<ArchiveReader>()>& open_outer,
                            const std::string& blob_path, const std::string& diff_id,
                            const std::string& dest) {
  std::string tmp =
      dir_of(dest) + "/.tmp-" + base_of(dest).substr(0, 12) + "-" + random_hex_id().substr(0, 16);
  if (::mkdir(tmp.c_str(), 0755) != 0) return sys_error("mkdir " + tmp);
  ScopeExit cleanup([&] { (void)remove_all(tmp); });

  BERTH_TRY_ASSIGN(ArchiveReader outer, open_outer());
  auto src = std::make_unique<HashingSource>();
  src->outer = outer.get();
  ArchiveReader inner(archive_read_new());
  archive_read_support_format_tar(inner.get());
  if (archive_read_open(inner.get(), src.get(), nullptr, hashing_read, nullptr) != ARCHIVE_OK)
    return archive_err(inner.get(), "open layer " + blob_path);
  BERTH_TRY_CTX(extract(inner.get(), tmp), "unpack layer " + diff_id);
  // Hash what the tar reader did not need (the end-of-archive padding).
  const void* ignored;
  for (;;) {
    la_ssize_t n = hashing_read(inner.get(), src.get(), &ignored);
    if (n < 0) return archive_err(inner.get(), "unpack layer " + diff_id);
    if (n == 0) break;
  }
  std::string got = "sha256:" + src->sha.hex();
  if (got != diff_id)
    return make_error(Code::kDataLoss, "unpack layer " + diff_id +
                                           ": uncompressed digest mismatch (got " + got + ")");
  if (::rename(tmp.c_str(), dest.c_str()) != 0) {
    if (errno == EEXIST || errno == ENOTEMPTY) return src->size;  // a concurrent unpack won
    return sys_error("rename " + tmp + " to " + dest);
  }
  cleanup.dismiss();
  return src->size;
}

}  // namespace

}  // namespace berth::image
