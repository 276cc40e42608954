#include "image/internal/archive_util.h"

#include <cstring>

#include "base/digest.h"

namespace berth::image::internal {

Error archive_err(archive* a, const std::string& what) {
  const char* msg = a ? archive_error_string(a) : nullptr;
  int err = a ? archive_errno(a) : 0;
  Error e = make_error(Code::kInvalidArgument, what + ": " + (msg ? msg : "archive error"));
  if (err > 0) e.sys_errno = err;
  return e;
}

Result<ArchiveReader> open_decompressed(const std::string& path) {
  ArchiveReader a(archive_read_new());
  if (!a) return make_error(Code::kInternal, "archive_read_new failed");
  archive_read_support_filter_all(a.get());
  archive_read_support_format_raw(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return archive_err(a.get(), "open " + path);
  archive_entry* entry = nullptr;
  int r = archive_read_next_header(a.get(), &entry);
  if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return archive_err(a.get(), "read " + path);
  return a;
}

Result<ArchiveReader> open_decompressed_fd(int fd) {
  ArchiveReader a(archive_read_new());
  if (!a) return make_error(Code::kInternal, "archive_read_new failed");
  archive_read_support_filter_all(a.get());
  archive_read_support_format_raw(a.get());
  if (archive_read_open_fd(a.get(), fd, 1 << 16) != ARCHIVE_OK)
    return archive_err(a.get(), "open layer stream");
  archive_entry* entry = nullptr;
  int r = archive_read_next_header(a.get(), &entry);
  if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return archive_err(a.get(), "read layer stream");
  return a;
}

Result<StreamDigest> uncompressed_digest(const std::string& path) {
  BERTH_TRY_ASSIGN(ArchiveReader a, open_decompressed(path));
  StreamDigest out;
  int filters = archive_filter_count(a.get());
  for (int i = 0; i < filters; ++i) {
    if (archive_filter_code(a.get(), i) != ARCHIVE_FILTER_NONE) {
      out.compressed = true;
      out.compression = archive_filter_name(a.get(), i);
      break;
    }
  }
  Sha256 sha;
  char buf[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(a.get(), buf, sizeof buf);
    if (n < 0) return archive_err(a.get(), "decompress " + path);
    if (n == 0) break;
    sha.update(std::string_view(buf, n));
    out.size += n;
  }
  out.digest = "sha256:" + sha.hex();
  return out;
}

Status write_file_entry(archive* a, const std::string& name, std::string_view data, int64_t mtime) {
  ArchiveEntry e(archive_entry_new());
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), 0644);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  archive_entry_set_mtime(e.get(), mtime, 0);
  archive_entry_set_uid(e.get(), 0);
  archive_entry_set_gid(e.get(), 0);
  if (archive_write_header(a, e.get()) != ARCHIVE_OK)
    return archive_err(a, "write tar header " + name);
  size_t off = 0;
  while (off < data.size()) {
    la_ssize_t n = archive_write_data(a, data.data() + off, data.size() - off);
    if (n <= 0) return archive_err(a, "write tar data " + name);
    off += static_cast<size_t>(n);
  }
  return ok_status();
}

}  // namespace berth::image::internal
