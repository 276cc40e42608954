// The content store: blobs addressed by digest under <root>/blobs/sha256/<hex>.  A blob becomes
// visible only after its bytes were hashed, compared with the expected digest, fsynced and
// renamed into place (containerd's local content store does the same), so a reader never sees a
// partial or wrong blob.  Writers use their own ingest file, so concurrent writers of the same
// blob are safe: the last rename wins with identical content.  Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/digest.h"
#include "base/error.h"
#include "base/unique_fd.h"

namespace berth::image {

class ContentStore;

// Streams one blob into an ingest file.  Dropping a writer without commit removes the file.
class BlobWriter {
 public:
  BlobWriter(BlobWriter&&) = default;
  ~BlobWriter();
  Status write(std::string_view data);
  // Verifies size (when >= 0) and digest, fsyncs and publishes.  Returns the digest written.
  Result<std::string> commit(const std::string& expected_digest, int64_t expected_size = -1);
  int64_t size() const { return size_; }

 private:
  friend class ContentStore;
  BlobWriter(const ContentStore* store, std::string ingest_path, UniqueFd fd);
  const ContentStore* store_;
  std::string ingest_path_;
  UniqueFd fd_;
  std::unique_ptr<Sha256> sha_;
  int64_t size_ = 0;
};

class ContentStore {
 public:
  // `root` is <data-root>/content; creates blobs/sha256 and ingest under it.
  static Result<ContentStore> open(const std::string& root);

  std::string blob_path(const std::string& digest) const;  // REQUIRES: is_valid_digest(digest)
  bool has(const std::string& digest) const;
  Result<int64_t> size(const std::string& digest) const;
  Result<std::string> read(const std::string& digest) const;

  Result<BlobWriter> writer() const;
  // Writes `data` as one blob; an empty expected digest means "whatever it hashes to".
  Result<std::string> put(std::string_view data, const std::string& expected_digest = "") const;
  // Moves a file (on the same filesystem) into the store after verifying it hashes to
  // `expected_digest` (or to anything, when empty).  The file is gone afterwards either way.
  Result<std::string> import_file(const std::string& path,
                                  const std::string& expected_digest = "") const;

 private:
  explicit ContentStore(std::string root) : root_(std::move(root)) {}
  Status publish(const std::string& ingest_path, const std::string& digest) const;
  friend class BlobWriter;
  std::string root_;
};

}  // namespace berth::image
