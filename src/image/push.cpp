// Pushing to a registry: each blob is checked (HEAD), mounted from another repository of the
// same registry that is known to hold it, or uploaded; the manifest goes last, verbatim (OCI
// artifactType and subject included), so the registry computes the digest we have.
#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "base/file.h"
#include "base/unique_fd.h"
#include "image/internal/local_store.h"
#include "image/registry/registry.h"

namespace berth::image::internal {

namespace {
constexpr int kMaxConcurrentUploads = 5;  // dockerd's max-concurrent-uploads default
}

Result<std::string> LocalImageStore::push(const std::string& ref_str, const RegistryAuth& auth,
                                          const EventFn& progress) {
  BERTH_TRY_ASSIGN(Reference ref, parse_reference(ref_str));
  if (!ref.digest.empty())
    return make_error(Code::kInvalidArgument, "cannot push a digest reference");
  auto id = db_.get(store::Table::kTags, ref.full());
  if (!id)
    return make_error(Code::kNotFound,
                      "An image does not exist locally with the tag: " + ref.familiar_name());
  BERTH_TRY_ASSIGN(ImageRecord rec, read_record(*id));
  BERTH_TRY_ASSIGN(std::string manifest, content_.read(rec.manifest_digest));
  std::mutex mu;
  auto emit = [&](const std::string& i, const std::string& s, int64_t cur = 0, int64_t tot = 0) {
    std::lock_guard lock(mu);
    if (progress) progress(ProgressEvent{i, s, cur, tot});
  };
  emit("", "The push refers to repository [" + ref.name() + "]");
  auto reg = registry_for(ref.domain, auth);
  BERTH_TRY(reg->ping());

  // Repositories of this registry that hold each blob, from what we pulled or pushed.
  std::map<std::string, std::set<std::string>> sources;
  if (auto rows = db_.list(store::Table::kImages); rows.ok()) {
    for (auto& [other_id, doc] : *rows) {
      auto r = record_from_json(doc);
      if (!r) continue;
      std::vector<std::string> names = r->repo_tags;
      names.insert(names.end(), r->repo_digests.begin(), r->repo_digests.end());
      for (auto& n : names) {
        auto p = parse_reference(n);
        if (!p || p->domain != ref.domain || p->path == ref.path) continue;
        for (auto& l : r->layers) sources[l.digest].insert(p->path);
      }
    }
  }

  struct Blob {
    std::string digest;
    int64_t size;
    bool layer;
  };
  std::vector<Blob> blobs;
  for (auto& l : rec.layers)
    if (!is_foreign_layer(l.media_type)) blobs.push_back({l.digest, l.size, true});
  for (auto& b : blobs) emit(b.digest.substr(7, 12), "Preparing");
  blobs.push_back({rec.config_digest, -1, false});

  auto push_blob = [&](const Blob& b) -> Status {
    std::string sid = b.digest.substr(7, 12);
    BERTH_TRY_ASSIGN(bool has, reg->has_blob(ref.path, b.digest));
    if (has) {
      if (b.layer) emit(sid, "Layer already exists");
      return ok_status();
    }
    for (auto& from : sources[b.digest]) {
      auto mounted = reg->mount_blob(ref.path, b.digest, from);
      if (mounted.ok() && *mounted) {
        if (b.layer) emit(sid, "Mounted from " + from);
        return ok_status();
      }
    }
    std::string path = content_.blob_path(b.digest);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return sys_error("open blob " + b.digest);
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return sys_error("stat blob " + b.digest);
    if (b.layer) emit(sid, "Pushing", 0, st.st_size);
    BERTH_TRY(reg->upload_blob(ref.path, b.digest, fd.get(), st.st_size));
    if (b.layer) emit(sid, "Pushed", st.st_size, st.st_size);
    return ok_status();
  };

  std::atomic<size_t> next{0};
  std::optional<Error> first_error;
  auto worker = [&] {
    for (;;) {
      size_t k = next++;
      if (k >= blobs.size()) return;
      {
        std::lock_guard lock(mu);
        if (first_error) return;
      }
      Status st = push_blob(blobs[k]);
      if (!st) {
        std::lock_guard lock(mu);
        if (!first_error) first_error = st.error();
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 0; t < std::min<size_t>(blobs.size(), kMaxConcurrentUploads); ++t)
    threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (first_error) return std::move(*first_error).context("push " + ref.familiar());

  BERTH_TRY_ASSIGN(std::string digest,
                   reg->put_manifest(ref.path, ref.tag, rec.manifest_media_type, manifest));
  emit("", ref.tag + ": digest: " + digest + " size: " + std::to_string(manifest.size()));
  Reference by_digest = ref;
  by_digest.tag.clear();
  by_digest.digest = digest;
  std::shared_lock gc(gc_mu_);
  BERTH_TRY(record_image(rec, {by_digest}));
  // record_image added only the digest name; the tag stays where it was.
  return digest;
}

}  // namespace berth::image::internal
