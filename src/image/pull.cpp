// Pulling from a registry: resolve the manifest (an index is narrowed to one platform), fetch
// the config, then download the layers in parallel.  Each layer streams into the content store
// (verified against its digest at commit) and, through a pipe, into the unpacker (verified
// against its diff ID), so a layer is on disk as soon as its last byte arrives.  The image is
// recorded only after every layer verified; what did verify stays, so a retry resumes there.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "base/digest.h"
#include "base/file.h"
#include "base/log.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "image/internal/local_store.h"
#include "image/internal/manifest.h"
#include "image/layer_unpack.h"
#include "image/registry/registry.h"

namespace berth::image::internal {

namespace {

constexpr int kMaxConcurrentDownloads = 3;  // dockerd's max-concurrent-downloads default
constexpr int kAttempts = 3;

// Serialises progress events from the download threads.
class Emitter {
 public:
  explicit Emitter(const EventFn& fn) : fn_(fn) {}
  void operator()(const std::string& id, const std::string& status, int64_t cur = 0,
                  int64_t total = 0) {
    if (!fn_) return;
    std::lock_guard lock(mu_);
    fn_(ProgressEvent{id, status, cur, total});
  }

 private:
  const EventFn& fn_;
  std::mutex mu_;
};

std::string short_id(const std::string& digest) { return digest.substr(7, 12); }

Error pull_error(const Reference& ref, Error e) {
  if (e.code == Code::kNotFound || e.code == Code::kUnauthorized ||
      e.code == Code::kPermissionDenied) {
    if (e.message.find("manifest unknown") != std::string::npos)
      return make_error(Code::kNotFound,
                        "manifest for " + ref.familiar() + " not found: " + e.message);
    if (e.code != Code::kNotFound || e.message.find("name unknown") != std::string::npos ||
        e.message.find("repository") != std::string::npos)
      return make_error(
          e.code, "pull access denied for " + ref.familiar_name() +
                      ", repository does not exist or may require 'docker login': " + e.message);
  }
  return e;
}

struct LayerJob {
  size_t index;
  std::string digest, diff_id, chain_id, parent_chain, media_type;
  int64_t size = 0;
  bool need_blob = true, need_unpack = true;
  int64_t unpacked_size = 0;
};

}  // namespace

void LocalImageStore::set_registry_settings(const RegistrySettings& settings) {
  std::lock_guard lock(settings_mu_);
  settings_ = settings;
}

std::unique_ptr<registry::Registry> LocalImageStore::registry_for(const std::string& domain,
                                                                  const RegistryAuth& auth) {
  registry::RegistryOptions opts;
  {
    std::lock_guard lock(settings_mu_);
    opts.insecure_registries = settings_.insecure_registries;
    opts.certs_dirs = settings_.certs_dirs;
  }
  registry::Credentials creds{auth.username, auth.password, auth.identity_token,
                              auth.registry_token};
  if (creds.empty()) creds = registry::credentials_for(domain);
  return std::make_unique<registry::Registry>(*http_, domain, opts, creds);
}

// Downloads (and unpacks) one layer; retries transport failures from the start.
static Status fetch_layer(LocalImageStore& store, registry::Registry& reg, const Reference& ref,
                          LayerJob& job, Emitter& emit, const std::atomic<bool>& cancel) {
  std::string id = short_id(job.digest);
  Error last = make_error(Code::kInternal, "no attempt");
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (cancel) return make_error(Code::kCancelled, "pull cancelled");
    BERTH_TRY_ASSIGN(BlobWriter writer, store.content().writer());
    std::string dest = store.layer_dir(job.chain_id);
    bool unpack = job.need_unpack && !is_directory(dest);
    UniqueFd pipe_w;
    std::thread unpacker;
    Result<int64_t> unpacked = int64_t{0};
    if (unpack) {
      int fds[2];
      if (::pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe");
      pipe_w.reset(fds[1]);
      (void)::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
      unpacker = std::thread([&, rd = UniqueFd(fds[0])]() mutable {
        unpacked = unpack_layer_stream(rd.get(), job.diff_id, dest);
        rd.reset();  // the downloader's next write fails instead of blocking
      });
    }
    int64_t got = 0, last_emit = 0;
    Status write_status;
    auto sink = [&](std::string_view data) {
      if (cancel) return false;
      if (auto st = writer.write(data); !st) {
        write_status = std::move(st);
        return false;
      }
      if (pipe_w && !write_all(pipe_w.get(), data)) pipe_w.reset();  // the unpacker says why
      got += static_cast<int64_t>(data.size());
      if (got - last_emit >= (512 << 10) || got == job.size) {
        last_emit = got;
        emit(id, "Downloading", got, job.size);
      }
      return true;
    };
    Status fetched = reg.get_blob(ref.path, job.digest, 0, sink, nullptr);
    pipe_w.reset();
    if (unpacker.joinable()) unpacker.join();
    if (!write_status) return std::move(write_status).error().context("write blob " + job.digest);
    if (!fetched) {
      last = std::move(fetched).error();
      if (last.code == Code::kUnavailable || last.code == Code::kCancelled) {
        if (cancel) return last;
        log_warn("pull: retrying layer " + job.digest + ": " + last.message);
        emit(id, "Retrying in 1 second");
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      return last;
    }
    emit(id, "Verifying Checksum");
    bool had_blob = store.content().has(job.digest);
    auto committed = writer.commit(job.digest, job.size > 0 ? job.size : -1);
    if (!committed) {
      if (unpack && unpacked.ok()) (void)remove_all(dest);
      return make_error(Code::kDataLoss, "filesystem layer verification failed for digest " +
                                             job.digest + ": " + committed.error().message);
    }
    // A layer that does not unpack (escapes, bad diff ID) is not kept, even if its blob verified.
    if (unpack && !unpacked) {
      if (!had_blob) (void)::unlink(store.content().blob_path(job.digest).c_str());
      return std::move(unpacked).error().context("extract layer " + job.digest);
    }
    emit(id, "Download complete");
    if (unpack) {
      if (!unpacked) return std::move(unpacked).error().context("extract layer " + job.digest);
      job.unpacked_size = *unpacked;
    }
    return ok_status();
  }
  return last;
}

Result<Image> LocalImageStore::pull(const std::string& ref_str, const PullOptions& options,
                                    const EventFn& progress) {
  BERTH_TRY_ASSIGN(Reference ref, parse_reference(ref_str));
  BERTH_TRY_ASSIGN(Platform want, parse_platform(options.platform));
  std::shared_lock gc(gc_mu_);
  Emitter emit(progress);
  auto reg = registry_for(ref.domain, options.auth);
  std::string old_id;
  if (auto id = db_.get(store::Table::kTags, ref.full()); id.ok()) old_id = *id;
  emit(ref.digest.empty() ? ref.tag : ref.digest, "Pulling from " + ref.path);

  auto top = reg->get_manifest(ref.path, ref.digest.empty() ? ref.tag : ref.digest);
  if (!top) return pull_error(ref, std::move(top).error());
  registry::Manifest man = *top;
  BERTH_TRY_ASSIGN(ParsedManifest pm, parse_manifest(man.body, man.media_type));
  if (pm.is_index) {
    BERTH_TRY_ASSIGN(std::string child, select_platform(pm, want));
    auto m = reg->get_manifest(ref.path, child);
    if (!m) return pull_error(ref, std::move(m).error());
    man = *m;
    BERTH_TRY_ASSIGN(pm, parse_manifest(man.body, man.media_type));
    if (pm.is_index) return make_error(Code::kInvalidArgument, "nested index " + child);
  }
  if (!pm.config_media_type.empty() && pm.config_media_type != kOciConfig &&
      pm.config_media_type != kDockerConfig)
    return make_error(Code::kInvalidArgument,
                      "unsupported media type " + pm.config_media_type + " for the config of " +
                          ref.familiar() + ": not an image (artifactType " +
                          (pm.artifact_type.empty() ? "none" : pm.artifact_type) + ")");

  // The config: small, fetched whole and verified.
  std::string config;
  bool config_fetched = !content_.has(pm.config_digest);
  // A failed pull takes back the config it fetched (layers that verified stay, for a retry).
  ScopeExit drop_config([&] {
    if (config_fetched) (void)::unlink(content_.blob_path(pm.config_digest).c_str());
  });
  if (!config_fetched) {
    BERTH_TRY_ASSIGN(config, content_.read(pm.config_digest));
  } else {
    BERTH_TRY_ASSIGN(BlobWriter w, content_.writer());
    Status st;
    BERTH_TRY(reg->get_blob(
        ref.path, pm.config_digest, 0,
        [&](std::string_view d) {
          st = w.write(d);
          config.append(d);
          return st.ok();
        },
        nullptr));
    BERTH_TRY(st);
    BERTH_TRY_CTX(w.commit(pm.config_digest, pm.config_size > 0 ? pm.config_size : -1),
                  "config of " + ref.familiar());
  }
  BERTH_TRY_ASSIGN(auto diff_ids, config_diff_ids(config));
  if (diff_ids.size() != pm.layers.size())
    return make_error(Code::kInvalidArgument,
                      "manifest of " + ref.familiar() + " has " + std::to_string(pm.layers.size()) +
                          " layers, its config " + std::to_string(diff_ids.size()));
  auto chains = chain_ids(diff_ids);

  // Plan: what is already here, what to fetch.
  std::vector<LayerJob> jobs;
  for (size_t i = 0; i < pm.layers.size(); ++i) {
    const Descriptor& d = pm.layers[i];
    LayerJob j{i, d.digest, diff_ids[i], chains[i], i ? chains[i - 1] : "", d.media_type, d.size};
    if (is_foreign_layer(d.media_type)) {
      j.need_blob = j.need_unpack = false;
    } else {
      j.need_blob = !content_.has(d.digest);
      j.need_unpack = !is_directory(layer_dir(chains[i]));
    }
    if (!j.need_unpack) {
      if (auto l = db_.get(store::Table::kLayers, chains[i]); l.ok()) {
        auto pos = l->find("\"size\":");
        if (pos != std::string::npos) j.unpacked_size = std::atoll(l->c_str() + pos + 7);
      }
    }
    if (j.need_blob)
      emit(short_id(d.digest), "Pulling fs layer");
    else if (!is_foreign_layer(d.media_type))
      emit(short_id(d.digest), "Already exists");
    jobs.push_back(j);
  }

  // Download and unpack in parallel; a layer whose blob is here only needs unpacking.
  std::atomic<bool> cancel{false};
  std::atomic<size_t> next{0};
  std::mutex err_mu;
  std::optional<Error> first_error;
  bool downloaded = false;
  auto worker = [&] {
    for (;;) {
      size_t k = next++;
      if (k >= jobs.size()) return;
      LayerJob& j = jobs[k];
      if (!j.need_blob && !j.need_unpack) continue;
      Status st;
      if (j.need_blob) {
        st = fetch_layer(*this, *reg, ref, j, emit, cancel);
      } else {
        auto size = unpack_layer(content_.blob_path(j.digest), j.diff_id, layer_dir(j.chain_id));
        if (size)
          j.unpacked_size = *size;
        else
          st = std::move(size).error();
      }
      if (st && j.need_unpack) note_layer(j.chain_id, j.diff_id, j.parent_chain, j.unpacked_size);
      if (st && j.need_blob) emit(short_id(j.digest), "Pull complete");
      if (!st) {
        std::lock_guard lock(err_mu);
        if (!first_error || first_error->code == Code::kCancelled) first_error = st.error();
        cancel = true;
        return;
      }
    }
  };
  size_t need = 0;
  for (auto& j : jobs) need += j.need_blob || j.need_unpack;
  downloaded = need > 0;
  std::vector<std::thread> threads;
  for (size_t t = 0; t < std::min<size_t>(need, kMaxConcurrentDownloads); ++t)
    threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (first_error) return std::move(*first_error).context("pull " + ref.familiar());

  // Everything verified: keep the manifests, then record the image and its names.
  BERTH_TRY(content_.put(man.body, man.digest));
  if (top->digest != man.digest) BERTH_TRY(content_.put(top->body, top->digest));
  ImageRecord rec;
  rec.id = rec.config_digest = pm.config_digest;
  rec.manifest_digest = man.digest;
  rec.manifest_media_type = pm.media_type;
  for (auto& j : jobs)
    rec.layers.push_back({j.digest, j.diff_id, j.media_type, j.size, j.unpacked_size});
  BERTH_TRY_ASSIGN(Image parsed, image_from_config(config));
  rec.created = parsed.created;
  std::vector<Reference> tags;
  if (ref.digest.empty()) tags.push_back(ref);
  Reference by_digest = ref;
  by_digest.tag.clear();
  by_digest.digest = top->digest;
  tags.push_back(by_digest);
  BERTH_TRY_CTX(record_image(rec, tags), "pull " + ref.familiar());
  drop_config.dismiss();
  emit("", "Digest: " + top->digest);
  bool fresh = downloaded || old_id != rec.id;
  emit("", std::string(fresh ? "Status: Downloaded newer image for "
                             : "Status: Image is up to date for ") +
               ref.familiar());
  gc.unlock();
  return get(rec.id);
}

Status LocalImageStore::login(const std::string& server, const RegistryAuth& auth) {
  std::string domain = server;
  for (const char* p : {"https://", "http://"})
    if (domain.starts_with(p)) domain = domain.substr(strlen(p));
  if (auto slash = domain.find('/'); slash != std::string::npos) domain.resize(slash);
  if (domain.empty() || domain == "index.docker.io") domain = "docker.io";
  auto reg = registry_for(domain, auth);
  return reg->ping(true);
}

Result<DistributionInfo> LocalImageStore::distribution(const std::string& ref_str,
                                                       const RegistryAuth& auth) {
  BERTH_TRY_ASSIGN(Reference ref, parse_reference(ref_str));
  auto reg = registry_for(ref.domain, auth);
  auto m = reg->get_manifest(ref.path, ref.digest.empty() ? ref.tag : ref.digest);
  if (!m) return pull_error(ref, std::move(m).error());
  BERTH_TRY_ASSIGN(ParsedManifest pm, parse_manifest(m->body, m->media_type));
  DistributionInfo info{pm.media_type, m->digest, static_cast<int64_t>(m->body.size()), {}};
  if (pm.is_index) {
    for (auto& e : pm.manifests)
      if (!e.platform.os.empty()) info.platforms.push_back(e.platform.str());
  } else if (content_.has(pm.config_digest)) {
    auto c = content_.read(pm.config_digest);
    if (c) {
      auto img = image_from_config(*c);
      if (img) info.platforms.push_back(img->os + "/" + img->architecture);
    }
  } else {
    std::string config;
    if (reg->get_blob(
            ref.path, pm.config_digest, 0,
            [&](std::string_view d) {
              config.append(d);
              return config.size() < (4 << 20);
            },
            nullptr)) {
      auto img = image_from_config(config);
      if (img) info.platforms.push_back(img->os + "/" + img->architecture);
    }
  }
  return info;
}

}  // namespace berth::image::internal
