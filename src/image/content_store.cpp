#include "image/content_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/random_id.h"

namespace berth::image {

BlobWriter::BlobWriter(const ContentStore* store, std::string ingest_path, UniqueFd fd)
    : store_(store),
      ingest_path_(std::move(ingest_path)),
      fd_(std::move(fd)),
      sha_(std::make_unique<Sha256>()) {}

BlobWriter::~BlobWriter() {
  if (!ingest_path_.empty()) ::unlink(ingest_path_.c_str());
}

Status BlobWriter::write(std::string_view data) {
  BERTH_TRY_CTX(write_all(fd_.get(), data), "write " + ingest_path_);
  sha_->update(data);
  size_ += static_cast<int64_t>(data.size());
  return ok_status();
}

Result<std::string> BlobWriter::commit(const std::string& expected_digest, int64_t expected_size) {
  std::string digest = "sha256:" + sha_->hex();
  if (expected_size >= 0 && expected_size != size_)
    return make_error(Code::kDataLoss, "blob " + expected_digest + ": size " +
                                           std::to_string(size_) + ", expected " +
                                           std::to_string(expected_size));
  if (!expected_digest.empty() && digest != expected_digest)
    return make_error(Code::kDataLoss,
                      "blob digest mismatch: got " + digest + ", expected " + expected_digest);
  if (::fsync(fd_.get()) != 0) return sys_error("fsync " + ingest_path_);
  fd_.reset();
  BERTH_TRY(store_->publish(ingest_path_, digest));
  ingest_path_.clear();
  return digest;
}

Result<ContentStore> ContentStore::open(const std::string& root) {
  BERTH_TRY(make_dirs(root + "/blobs/sha256"));
  BERTH_TRY(make_dirs(root + "/ingest"));
  return ContentStore(root);
}

std::string ContentStore::blob_path(const std::string& digest) const {
  return root_ + "/blobs/sha256/" + digest.substr(7);
}

bool ContentStore::has(const std::string& digest) const {
  return is_valid_digest(digest) && path_exists(blob_path(digest));
}

Result<int64_t> ContentStore::size(const std::string& digest) const {
  if (!is_valid_digest(digest)) return make_error(Code::kInvalidArgument, "bad digest " + digest);
  struct stat st;
  if (::stat(blob_path(digest).c_str(), &st) != 0) return sys_error("stat blob " + digest);
  return static_cast<int64_t>(st.st_size);
}

Result<std::string> ContentStore::read(const std::string& digest) const {
  if (!is_valid_digest(digest)) return make_error(Code::kInvalidArgument, "bad digest " + digest);
  return read_file(blob_path(digest));
}

Result<BlobWriter> ContentStore::writer() const {
  std::string path = root_ + "/ingest/" + random_hex_id().substr(0, 32);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd) return sys_error("create ingest file " + path);
  return BlobWriter(this, path, std::move(fd));
}

Result<std::string> ContentStore::put(std::string_view data,
                                      const std::string& expected_digest) const {
  BERTH_TRY_ASSIGN(BlobWriter w, writer());
  BERTH_TRY(w.write(data));
  return w.commit(expected_digest);
}

Result<std::string> ContentStore::import_file(const std::string& path,
                                              const std::string& expected_digest) const {
  struct Unlink {
    std::string p;
    ~Unlink() { ::unlink(p.c_str()); }
  } cleanup{path};
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open " + path);
  Sha256 sha;
  std::string buf(1 << 16, '\0');
  for (;;) {
    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read " + path);
    if (n == 0) break;
    sha.update(std::string_view(buf.data(), n));
  }
  std::string digest = "sha256:" + sha.hex();
  if (!expected_digest.empty() && digest != expected_digest)
    return make_error(Code::kDataLoss,
                      "blob digest mismatch: got " + digest + ", expected " + expected_digest);
  if (::fsync(fd.get()) != 0) return sys_error("fsync " + path);
  BERTH_TRY(publish(path, digest));
  return digest;
}

Status ContentStore::publish(const std::string& ingest_path, const std::string& digest) const {
  std::string dest = blob_path(digest);
  if (::rename(ingest_path.c_str(), dest.c_str()) != 0) {
    Error err = sys_error("rename " + ingest_path + " to " + dest);
    ::unlink(ingest_path.c_str());
    return err;
  }
  // Make the rename durable: fsync the directory that holds the new name.
  UniqueFd dir(::open((root_ + "/blobs/sha256").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) ::fsync(dir.get());
  return ok_status();
}

}  // namespace berth::image
