// libarchive glue shared by the image library: owning pointers, errors, and reading a blob's
// uncompressed stream.  Internal to src/image.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"

namespace berth::image::internal {

struct ReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using ArchiveReader = std::unique_ptr<archive, ReadDeleter>;
using ArchiveWriter = std::unique_ptr<archive, WriteDeleter>;
using ArchiveEntry = std::unique_ptr<archive_entry, EntryDeleter>;

// "<what>: <libarchive's message>", with errno when libarchive has one.
Error archive_err(archive* a, const std::string& what);

// A reader of `path` that undoes any compression (gzip, zstd, xz, bzip2 or none) and presents
// the whole stream as one raw entry.  The header of that entry has already been read.
Result<ArchiveReader> open_decompressed(const std::string& path);
// The same over a stream (a pipe fed while a blob downloads), read until EOF.
Result<ArchiveReader> open_decompressed_fd(int fd);

struct StreamDigest {
  std::string digest;  // "sha256:<hex>" of the uncompressed bytes
  int64_t size = 0;    // uncompressed length
  bool compressed = false;
  std::string compression;  // "gzip", "zstd", ... or "" when none
};
// Hashes the uncompressed content of the (possibly compressed) file at `path`.
Result<StreamDigest> uncompressed_digest(const std::string& path);

// Writes one regular file entry with fixed metadata (mode 0644, mtime 0, root-owned).
Status write_file_entry(archive* a, const std::string& name, std::string_view data,
                        int64_t mtime = 0);

}  // namespace berth::image::internal
