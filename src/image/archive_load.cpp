// Loading `docker save` archives: the legacy layout (manifest.json, <id>/layer.tar, <id>.json),
// Docker 25+ (manifest.json and an OCI layout side by side, blobs/sha256/<hex>) and a pure OCI
// layout (index.json, oci-layout, blobs/).  The archive is streamed to a temp dir under the data
// root, every blob is verified (blob digests, sizes and each layer's uncompressed digest against
// the config's diff_ids), then imported into the content store, and only then are images and
// tags recorded.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>

#include "base/digest.h"
#include "base/file.h"
#include "base/json.h"
#include "base/path.h"
#include "base/random_id.h"
#include "base/scope_exit.h"
#include "base/strings.h"
#include "image/internal/archive_util.h"
#include "image/internal/local_store.h"
#include "model/image_file_json.h"

namespace berth::image::internal {
namespace {

Error bad_archive(const std::string& why) {
  return make_error(Code::kInvalidArgument, "invalid archive: " + why);
}

// The unpacked archive: regular files on disk, links remembered so they resolve in the archive.
class Staging {
 public:
  explicit Staging(std::string root) : root_(std::move(root)) {}

  Status unpack(int fd) {
    ArchiveReader a(archive_read_new());
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_fd(a.get(), fd, 1 << 16) != ARCHIVE_OK)
      return archive_err(a.get(), "read archive");
    archive_entry* e = nullptr;
    for (;;) {
      int r = archive_read_next_header(a.get(), &e);
      if (r == ARCHIVE_EOF) break;
      if (r < ARCHIVE_WARN) return archive_err(a.get(), "read archive");
      std::string raw = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
      BERTH_TRY_ASSIGN(std::string rel, clean(raw));
      if (rel.empty()) continue;
      if (const char* hl = archive_entry_hardlink(e)) {
        BERTH_TRY_ASSIGN(std::string target, clean(hl));
        links_[rel] = target;
        continue;
      }
      switch (archive_entry_filetype(e)) {
        case AE_IFDIR:
          BERTH_TRY(make_dirs(root_ + "/" + rel));
          break;
        case AE_IFLNK: {
          const char* t = archive_entry_symlink(e);
          std::string target = t ? t : "";
          // Relative to the link's directory, confined to the archive.
          std::string dir = rel.find('/') == std::string::npos ? "" : rel.substr(0, rel.rfind('/'));
          std::string joined = target.starts_with("/") ? target : "/" + dir + "/" + target;
          BERTH_TRY_ASSIGN(links_[rel], clean(clean_path(joined).substr(1)));
          break;
        }
        case AE_IFREG:
          BERTH_TRY(write_entry(a.get(), rel));
          break;
        default:
          break;  // devices and the like have no place in an image archive
      }
    }
    return ok_status();
  }

  // The on-disk path of archive member `rel`, following links; NotFound when absent.
  Result<std::string> path(const std::string& rel_in) const {
    std::string rel = clean_path(rel_in);
    while (rel.starts_with("/")) rel.erase(0, 1);
    for (int hops = 0; hops < 16; ++hops) {
      auto it = links_.find(rel);
      if (it == links_.end()) break;
      rel = it->second;
    }
    std::string p = root_ + "/" + rel;
    struct stat st;
    if (rel.empty() || ::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      return make_error(Code::kNotFound, "invalid archive: missing " + rel_in);
    return p;
  }
  bool has(const std::string& rel) const { return path(rel).ok(); }
  Result<std::string> read(const std::string& rel) const {
    BERTH_TRY_ASSIGN(std::string p, path(rel));
    return read_file(p);
  }

 private:
  static Result<std::string> clean(const std::string& raw) {
    if (raw.starts_with("/")) return bad_archive("absolute path " + raw);
    std::vector<std::string> parts;
    for (auto& p : split(raw, '/')) {
      if (p.empty() || p == ".") continue;
      if (p == "..") return bad_archive("path escapes the archive: " + raw);
      parts.push_back(p);
    }
    return join(parts, "/");
  }

  Status write_entry(archive* a, const std::string& rel) {
    std::string p = root_ + "/" + rel;
    if (rel.find('/') != std::string::npos) BERTH_TRY(make_dirs(p.substr(0, p.rfind('/'))));
    links_.erase(rel);
    UniqueFd fd(::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd) return sys_error("create " + p);
    char buf[1 << 16];
    for (;;) {
      la_ssize_t n = archive_read_data(a, buf, sizeof buf);
      if (n < 0) return archive_err(a, "read archive member " + rel);
      if (n == 0) break;
      BERTH_TRY_CTX(write_all(fd.get(), std::string_view(buf, n)), "write " + p);
    }
    return ok_status();
  }

  std::string root_;
  std::map<std::string, std::string> links_;
};

struct Pending {
  ImageRecord rec;
  std::vector<Reference> tags;
};

class Loader {
 public:
  Loader(LocalImageStore& store, Staging& staging, const ProgressFn& progress)
      : store_(store), staging_(staging), progress_(progress) {}

  // The expected blob digest of an archive member named blobs/sha256/<hex>, else "".
  static std::string digest_from_path(const std::string& rel) {
    std::string p = clean_path("/" + rel);
    if (p.starts_with("/blobs/sha256/") && is_hex64(p.substr(14))) return "sha256:" + p.substr(14);
    return "";
  }

  // Verifies a blob member and queues it for import; returns its digest.
  Result<std::string> blob(const std::string& rel, const std::string& expected,
                           int64_t expected_size = -1) {
    BERTH_TRY_ASSIGN(std::string p, staging_.path(rel));
    BERTH_TRY_ASSIGN(std::string digest, sha256_file_digest(p));
    if (!expected.empty() && digest != expected)
      return make_error(Code::kDataLoss, "invalid archive: " + rel + " has digest " + digest +
                                             ", expected " + expected);
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) return sys_error("stat " + p);
    if (expected_size >= 0 && st.st_size != expected_size)
      return make_error(Code::kDataLoss, "invalid archive: " + rel + " has size " +
                                             std::to_string(st.st_size) + ", expected " +
                                             std::to_string(expected_size));
    imports_.emplace(digest, p);
    return digest;
  }

  Result<LayerRecord> layer(const std::string& rel, const std::string& diff_id,
                            const std::string& expected, int64_t expected_size) {
    LayerRecord l;
    BERTH_TRY_ASSIGN(l.digest, blob(rel, expected, expected_size));
    BERTH_TRY_ASSIGN(std::string p, staging_.path(rel));
    BERTH_TRY_ASSIGN(StreamDigest u, uncompressed_digest(p));
    if (u.digest != diff_id)
      return make_error(Code::kDataLoss, "invalid archive: layer " + rel +
                                             " has uncompressed digest " + u.digest +
                                             ", config says " + diff_id);
    l.diff_id = diff_id;
    l.uncompressed_size = u.size;
    struct stat st;
    if (::stat(p.c_str(), &st) == 0) l.size = st.st_size;
    if (!u.compressed)
      l.media_type = kDockerLayerTar;
    else if (u.compression == "gzip")
      l.media_type = kDockerLayerGzip;
    else if (u.compression == "zstd")
      l.media_type = kOciLayerZstd;
    else
      return bad_archive("layer " + rel + " uses unsupported compression " + u.compression);
    if (progress_)
      progress_("Loading layer " + l.digest.substr(7, 12) + "  " +
                human_size(static_cast<double>(l.uncompressed_size)));
    return l;
  }

  Status config(const std::string& rel, const std::string& expected, int64_t size, ImageRecord* rec,
                std::vector<std::string>* diff_ids) {
    BERTH_TRY_ASSIGN(rec->config_digest, blob(rel, expected, size));
    rec->id = rec->config_digest;
    BERTH_TRY_ASSIGN(std::string text, staging_.read(rel));
    config_size_[rec->config_digest] = static_cast<int64_t>(text.size());
    BERTH_TRY_ASSIGN(*diff_ids, config_diff_ids(text));
    BERTH_TRY_ASSIGN(Json j, parse_json(text, "image config"));
    rec->created = json_string(j, "created");
    return ok_status();
  }

  // An OCI/Docker image manifest stored at blobs/sha256/<hex>.
  Result<Pending> oci_manifest(const std::string& digest, const std::string& media_type) {
    std::string rel = "blobs/sha256/" + digest.substr(7);
    BERTH_TRY(blob(rel, digest));
    BERTH_TRY_ASSIGN(std::string text, staging_.read(rel));
    BERTH_TRY_ASSIGN(Json m, parse_json(text, "manifest " + digest));
    if (!m.is_object() || !m.contains("config") || !m.contains("layers") || !m["layers"].is_array())
      return bad_archive("manifest " + digest + " has no config or layers");
    Pending p;
    p.rec.manifest_digest = digest;
    p.rec.manifest_media_type = json_string(m, "mediaType", media_type);
    const Json& c = m["config"];
    std::string cdigest = json_string(c, "digest");
    if (!is_valid_digest(cdigest)) return bad_archive("manifest " + digest + ": bad config");
    std::vector<std::string> diff_ids;
    BERTH_TRY(config("blobs/sha256/" + cdigest.substr(7), cdigest, c.value("size", -1), &p.rec,
                     &diff_ids));
    if (diff_ids.size() != m["layers"].size())
      return bad_archive("manifest " + digest + " has " + std::to_string(m["layers"].size()) +
                         " layers, config has " + std::to_string(diff_ids.size()));
    for (size_t i = 0; i < diff_ids.size(); ++i) {
      const Json& d = m["layers"][i];
      std::string ld = json_string(d, "digest");
      if (!is_valid_digest(ld)) return bad_archive("manifest " + digest + ": bad layer digest");
      BERTH_TRY_ASSIGN(LayerRecord l,
                       layer("blobs/sha256/" + ld.substr(7), diff_ids[i], ld, d.value("size", -1)));
      l.media_type = json_string(d, "mediaType", l.media_type);
      p.rec.layers.push_back(l);
    }
    return p;
  }

  // One descriptor of index.json: a manifest, or an index from which the host's platform (or
  // the first entry) is taken.
  Status oci_descriptor(const Json& desc, int depth) {
    std::string digest = json_string(desc, "digest");
    std::string mt = json_string(desc, "mediaType");
    if (!is_valid_digest(digest)) return bad_archive("index entry with a bad digest");
    if (depth > 4) return bad_archive("index nesting too deep");
    if (mt == kOciIndex || mt == kDockerManifestList) {
      BERTH_TRY(blob("blobs/sha256/" + digest.substr(7), digest));
      BERTH_TRY_ASSIGN(std::string text, staging_.read("blobs/sha256/" + digest.substr(7)));
      BERTH_TRY_ASSIGN(Json idx, parse_json(text, "index " + digest));
      if (!idx.contains("manifests") || !idx["manifests"].is_array() || idx["manifests"].empty())
        return bad_archive("index " + digest + " lists no manifests");
      const Json* chosen = nullptr;
      for (auto& m : idx["manifests"]) {
        if (!staging_.has("blobs/sha256/" + json_string(m, "digest").substr(7))) continue;
        if (!chosen) chosen = &m;
        if (m.contains("platform") && json_string(m["platform"], "architecture") == kHostArch &&
            json_string(m["platform"], "os") == "linux") {
          chosen = &m;
          break;
        }
      }
      if (!chosen) return bad_archive("index " + digest + ": no manifest present");
      Json child = *chosen;
      if (desc.contains("annotations")) child["annotations"] = desc["annotations"];
      return oci_descriptor(child, depth + 1);
    }
    Pending p;
    if (auto seen = manifests_.find(digest); seen != manifests_.end()) {
      p.rec = seen->second;  // another name for a manifest already verified
    } else {
      BERTH_TRY_ASSIGN(p, oci_manifest(digest, mt.empty() ? kOciManifest : mt));
      manifests_.emplace(digest, p.rec);
    }
    std::string name;
    if (desc.contains("annotations") && desc["annotations"].is_object()) {
      name = json_string(desc["annotations"], "io.containerd.image.name");
      std::string ref_name = json_string(desc["annotations"], "org.opencontainers.image.ref.name");
      // A bare ref.name ("latest") is a tag without a repository: no name to record.
      if (name.empty() && ref_name.find_first_of(":/") != std::string::npos) name = ref_name;
    }
    if (!name.empty()) {
      BERTH_TRY_ASSIGN(Reference r, parse_reference(name));
      p.tags.push_back(r);
    }
    add(std::move(p));
    return ok_status();
  }

  // One entry of manifest.json.  With an OCI layout present, it only adds names.
  Status docker_entry(const Json& json, bool names_only) {
    auto decoded = model::from_json<model::ArchiveManifestItem>(json);
    if (!decoded) return bad_archive("manifest.json: " + decoded.error().message);
    const model::ArchiveManifestItem& entry = *decoded;
    const std::string& config_rel = entry.config;
    if (config_rel.empty()) return bad_archive("manifest.json entry without Config");
    std::vector<Reference> tags;
    for (auto& t : entry.repo_tags) {
      BERTH_TRY_ASSIGN(Reference r, parse_reference(t));
      tags.push_back(r);
    }
    if (names_only) {
      BERTH_TRY_ASSIGN(std::string text, staging_.read(config_rel));
      std::string id = sha256_digest(text);
      for (auto& p : pending_)
        if (p.rec.id == id) {
          for (auto& t : tags) p.tags.push_back(t);
          return ok_status();
        }
      // Not in index.json: fall through and load it from manifest.json.
    }
    std::string expected = digest_from_path(config_rel);
    if (expected.empty() && config_rel.ends_with(".json") &&
        is_hex64(config_rel.substr(0, config_rel.size() - 5)))
      expected = "sha256:" + config_rel.substr(0, config_rel.size() - 5);
    Pending p;
    p.tags = std::move(tags);
    std::vector<std::string> diff_ids;
    BERTH_TRY(config(config_rel, expected, -1, &p.rec, &diff_ids));
    const std::vector<std::string>& layers = entry.layers;
    if (layers.size() != diff_ids.size())
      return bad_archive("manifest.json lists " + std::to_string(layers.size()) +
                         " layers, config has " + std::to_string(diff_ids.size()));
    bool zstd = false;
    for (size_t i = 0; i < layers.size(); ++i) {
      BERTH_TRY_ASSIGN(LayerRecord l,
                       layer(layers[i], diff_ids[i], digest_from_path(layers[i]), -1));
      zstd = zstd || l.media_type == kOciLayerZstd;
      p.rec.layers.push_back(l);
    }
    BERTH_TRY(synthesise_manifest(&p.rec, zstd));
    add(std::move(p));
    return ok_status();
  }

  // A manifest for an archive that has none, so save and push have one: Docker v2 schema 2, or
  // OCI when a layer is zstd (Docker's media types have no zstd).
  Status synthesise_manifest(ImageRecord* rec, bool oci) {
    int64_t csize = config_size_[rec->config_digest];
    Json layers = Json::array();
    for (auto& l : rec->layers) {
      if (oci)
        l.media_type = l.media_type == kDockerLayerTar    ? kOciLayerTar
                       : l.media_type == kDockerLayerGzip ? kOciLayerGzip
                                                          : l.media_type;
      layers.push_back({{"mediaType", l.media_type}, {"size", l.size}, {"digest", l.digest}});
    }
    Json m = {{"schemaVersion", 2},
              {"mediaType", oci ? kOciManifest : kDockerManifest},
              {"config",
               {{"mediaType", oci ? kOciConfig : kDockerConfig},
                {"size", csize},
                {"digest", rec->config_digest}}},
              {"layers", layers}};
    std::string text = dump_json(m);
    rec->manifest_media_type = oci ? kOciManifest : kDockerManifest;
    rec->manifest_digest = sha256_digest(text);
    synthesised_.emplace(rec->manifest_digest, text);
    return ok_status();
  }

  Status run() {
    bool has_index = staging_.has("index.json");
    bool has_manifest = staging_.has("manifest.json");
    if (!has_index && !has_manifest)
      return bad_archive("neither manifest.json nor index.json found");
    if (has_index) {
      BERTH_TRY_ASSIGN(std::string text, staging_.read("index.json"));
      BERTH_TRY_ASSIGN(Json idx, parse_json(text, "index.json"));
      if (!idx.contains("manifests") || !idx["manifests"].is_array())
        return bad_archive("index.json has no manifests");
      for (auto& d : idx["manifests"]) BERTH_TRY(oci_descriptor(d, 0));
    }
    if (has_manifest) {
      BERTH_TRY_ASSIGN(std::string text, staging_.read("manifest.json"));
      BERTH_TRY_ASSIGN(Json entries, parse_json(text, "manifest.json"));
      if (!entries.is_array()) return bad_archive("manifest.json is not a list");
      for (auto& e : entries) BERTH_TRY(docker_entry(e, has_index));
    }
    return ok_status();
  }

  // Moves every verified blob into the content store, then records the images.
  Result<std::vector<std::string>> commit() {
    for (auto& [digest, path] : imports_) {
      if (store_.content().has(digest)) continue;
      BERTH_TRY_CTX(store_.content().import_file(path, digest), "import " + digest);
    }
    for (auto& [digest, text] : synthesised_)
      if (!store_.content().has(digest)) BERTH_TRY(store_.content().put(text, digest));
    std::vector<std::string> lines;
    for (auto& p : pending_) {
      BERTH_TRY_CTX(store_.record_image(p.rec, p.tags), "record image " + p.rec.id);
      if (p.tags.empty()) lines.push_back("Loaded image ID: " + p.rec.id);
      std::set<std::string> seen;
      for (auto& t : p.tags)
        if (seen.insert(t.full()).second) lines.push_back("Loaded image: " + t.familiar());
    }
    return lines;
  }

  static constexpr const char* kHostArch =
#if defined(__x86_64__)
      "amd64";
#elif defined(__aarch64__)
      "arm64";
#else
      "";
#endif

 private:
  void add(Pending p) {
    for (auto& q : pending_)
      if (q.rec.id == p.rec.id) {
        for (auto& t : p.tags) q.tags.push_back(t);
        return;
      }
    pending_.push_back(std::move(p));
  }

  LocalImageStore& store_;
  Staging& staging_;
  const ProgressFn& progress_;
  std::vector<Pending> pending_;
  std::map<std::string, std::string> imports_;      // digest -> staged file
  std::map<std::string, std::string> synthesised_;  // digest -> manifest text
  std::map<std::string, int64_t> config_size_;
  std::map<std::string, ImageRecord> manifests_;  // verified manifests by digest
};

}  // namespace

Result<std::vector<std::string>> LocalImageStore::load(int tar_fd, const ProgressFn& progress) {
  std::string dir = tmp_root() + "/load-" + random_hex_id().substr(0, 16);
  if (::mkdir(dir.c_str(), 0700) != 0) return sys_error("mkdir " + dir);
  ScopeExit cleanup([&] { (void)remove_all(dir); });
  Staging staging(dir);
  BERTH_TRY_CTX(staging.unpack(tar_fd), "load");
  Loader loader(*this, staging, progress);
  BERTH_TRY_CTX(loader.run(), "load");
  return loader.commit();
}

}  // namespace berth::image::internal
