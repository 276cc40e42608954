// Writing images as Docker 25+ does: an OCI image layout (oci-layout, index.json, blobs/sha256)
// plus the legacy manifest.json, uncompressed, so both `docker load` (either image store) and
// Berth's load read it.  Blobs are written as stored, so the image IDs and manifest digests
// survive a save and load.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "base/json.h"
#include "base/unique_fd.h"
#include "image/internal/archive_util.h"
#include "image/internal/local_store.h"
#include "model/image_file_json.h"

namespace berth::image::internal {
namespace {

Status add_dir(archive* a, const std::string& name) {
  ArchiveEntry e(archive_entry_new());
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_filetype(e.get(), AE_IFDIR);
  archive_entry_set_perm(e.get(), 0755);
  archive_entry_set_mtime(e.get(), 0, 0);
  if (archive_write_header(a, e.get()) != ARCHIVE_OK) return archive_err(a, "write " + name);
  return ok_status();
}

Status add_blob_file(archive* a, const std::string& name, const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open " + path);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return sys_error("stat " + path);
  ArchiveEntry e(archive_entry_new());
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), 0644);
  archive_entry_set_size(e.get(), st.st_size);
  archive_entry_set_mtime(e.get(), 0, 0);
  if (archive_write_header(a, e.get()) != ARCHIVE_OK) return archive_err(a, "write " + name);
  char buf[1 << 16];
  int64_t left = st.st_size;
  while (left > 0) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read " + path);
    if (n == 0) return make_error(Code::kDataLoss, "blob " + path + " shrank while saving");
    if (archive_write_data(a, buf, n) != n) return archive_err(a, "write " + name);
    left -= n;
  }
  return ok_status();
}

struct Selected {
  ImageRecord rec;
  std::vector<Reference> tags;
};

}  // namespace

Status LocalImageStore::save(const std::vector<std::string>& refs, int out_fd) {
  std::vector<Selected> images;
  for (auto& r : refs) {
    BERTH_TRY_ASSIGN(std::string id, resolve_id(r));
    std::vector<Reference> tags;
    // A name saves that name; an ID saves the image untagged, as Docker does.
    if (auto ref = parse_reference(r); ref.ok() && ref->digest.empty() && !is_valid_digest(r)) {
      if (auto tagged = db_.get(store::Table::kTags, ref->full()); tagged.ok() && *tagged == id)
        tags.push_back(*ref);
    }
    Selected* found = nullptr;
    for (auto& s : images)
      if (s.rec.id == id) found = &s;
    if (!found) {
      BERTH_TRY_ASSIGN(ImageRecord rec, read_record(id));
      images.push_back({std::move(rec), {}});
      found = &images.back();
    }
    for (auto& t : tags) {
      bool dup = false;
      for (auto& have : found->tags) dup = dup || have.full() == t.full();
      if (!dup) found->tags.push_back(t);
    }
  }

  Json index_manifests = Json::array();
  model::List<model::ArchiveManifestItem> docker_manifest;
  docker_manifest.set_empty();
  std::vector<std::string> blobs;  // digests, in write order, unique
  std::set<std::string> seen;
  auto want = [&](const std::string& d) {
    if (seen.insert(d).second) blobs.push_back(d);
  };
  for (auto& s : images) {
    const ImageRecord& rec = s.rec;
    if (!content_.has(rec.manifest_digest))
      return make_error(Code::kNotFound, "save " + rec.id + ": manifest blob missing");
    BERTH_TRY_ASSIGN(int64_t msize, content_.size(rec.manifest_digest));
    Json desc = {
        {"mediaType", rec.manifest_media_type}, {"digest", rec.manifest_digest}, {"size", msize}};
    if (s.tags.empty()) index_manifests.push_back(desc);
    model::ArchiveManifestItem item;
    item.repo_tags.set_empty();
    for (auto& t : s.tags) {
      Json d = desc;
      d["annotations"] = {{"io.containerd.image.name", t.full()},
                          {"org.opencontainers.image.ref.name", t.tag}};
      index_manifests.push_back(d);
      item.repo_tags.push_back(t.familiar());
    }
    want(rec.manifest_digest);
    want(rec.config_digest);
    item.layers.set_empty();
    for (auto& l : rec.layers) {
      want(l.digest);
      item.layers.push_back("blobs/sha256/" + l.digest.substr(7));
    }
    item.config = "blobs/sha256/" + rec.config_digest.substr(7);
    docker_manifest.push_back(std::move(item));
  }
  Json index = {{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", index_manifests}};

  ArchiveWriter a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());
  archive_write_add_filter_none(a.get());
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open_fd(a.get(), out_fd) != ARCHIVE_OK)
    return archive_err(a.get(), "save: open output");
  BERTH_TRY(add_dir(a.get(), "blobs/"));
  BERTH_TRY(add_dir(a.get(), "blobs/sha256/"));
  for (auto& d : blobs) {
    if (!content_.has(d)) return make_error(Code::kNotFound, "save: blob " + d + " missing");
    BERTH_TRY_CTX(add_blob_file(a.get(), "blobs/sha256/" + d.substr(7), content_.blob_path(d)),
                  "save");
  }
  BERTH_TRY(write_file_entry(a.get(), "index.json", dump_json(index)));
  BERTH_TRY(write_file_entry(a.get(), "manifest.json", model::dump(docker_manifest)));
  BERTH_TRY(write_file_entry(a.get(), "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"));
  if (archive_write_close(a.get()) != ARCHIVE_OK) return archive_err(a.get(), "save: finish");
  return ok_status();
}

}  // namespace berth::image::internal
