// Committing a diff on top of an image: `docker commit` and every step of a build.  The layer
// is stored uncompressed (application/vnd.docker.image.rootfs.diff.tar), as dockerd keeps the
// layers it makes itself; push compresses nothing, which registries accept.
#include <sys/stat.h>

#include "base/digest.h"
#include "base/file.h"
#include "base/json.h"
#include "base/time.h"
#include "image/internal/local_store.h"
#include "image/layer_unpack.h"

namespace berth::image::internal {
namespace {

const char* host_arch() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#else
  return "unknown";
#endif
}

std::string rfc3339_seconds(int64_t secs) {
  // Docker writes whole seconds for SOURCE_DATE_EPOCH builds; keep nanos only when real.
  return format_rfc3339_nano(secs * 1000000000LL);
}

}  // namespace

Result<Image> LocalImageStore::commit(const CommitOptions& options) {
  std::string what = "commit image";
  std::vector<Reference> tags;
  for (auto& t : options.tags) {
    BERTH_TRY_ASSIGN(Reference r, parse_reference(t));
    tags.push_back(std::move(r));
  }
  ImageRecord rec;
  Json config = Json::object();
  if (!options.parent.empty()) {
    BERTH_TRY_ASSIGN(std::string pid, resolve_id(options.parent));
    BERTH_TRY_ASSIGN(ImageRecord parent, read_record(pid));
    BERTH_TRY_ASSIGN(std::string text, content_.read(parent.config_digest));
    BERTH_TRY_ASSIGN(Json pc, parse_json(text, "parent config " + pid));
    if (pc.is_object()) config = std::move(pc);
    rec.layers = parent.layers;
    rec.parent = pid;
  }
  Json out = Json::object();
  out["architecture"] = config.value("architecture", std::string(host_arch()));
  out["os"] = config.value("os", std::string("linux"));
  if (config.contains("variant")) out["variant"] = config["variant"];
  if (!options.author.empty()) out["author"] = options.author;
  if (!options.comment.empty()) out["comment"] = options.comment;
  if (!options.config_json.empty()) {
    BERTH_TRY_ASSIGN(Json c, parse_json(options.config_json, "commit config"));
    out["config"] = c;
  } else {
    out["config"] = config.contains("config") ? config["config"] : Json::object();
  }
  int64_t created = options.created >= 0 ? options.created * 1000000000LL : now_nanos();
  std::string created_text =
      options.created >= 0 ? rfc3339_seconds(options.created) : format_rfc3339_nano(created);

  Json history = config.contains("history") && config["history"].is_array() ? config["history"]
                                                                            : Json::array();
  if (!options.base_history.empty()) {
    BERTH_TRY_ASSIGN(history, parse_json(options.base_history, "base history"));
    if (!history.is_array())
      return make_error(Code::kInvalidArgument, "base history: not an array");
  }
  Json entry = {{"created", created_text}};
  if (!options.created_by.empty()) entry["created_by"] = options.created_by;
  if (!options.author.empty()) entry["author"] = options.author;
  if (!options.comment.empty()) entry["comment"] = options.comment;
  if (!options.history_entry.empty()) {
    // A step restored from a --cache-from image keeps that image's entry, time included.
    BERTH_TRY_ASSIGN(entry, parse_json(options.history_entry, "history entry"));
    if (!entry.is_object())
      return make_error(Code::kInvalidArgument, "history entry: not an object");
    created_text = json_string(entry, "created");
    entry.erase("empty_layer");
  }
  out["created"] = created_text;

  std::vector<std::string> diff_ids;
  if (config.contains("rootfs")) diff_ids = json_strings(config["rootfs"], "diff_ids");
  if (!options.layer_tar.empty()) {
    struct stat st;
    if (::stat(options.layer_tar.c_str(), &st) != 0)
      return sys_error("stat layer " + options.layer_tar).context(what);
    BERTH_TRY_ASSIGN(std::string digest, content_.import_file(options.layer_tar));
    rec.layers.push_back({digest, digest, kDockerLayerTar, st.st_size, st.st_size});
    diff_ids.push_back(digest);
    // Unpack now: the next build step or container start needs it, and the tar is hot.
    std::vector<std::string> ids;
    for (auto& l : rec.layers) ids.push_back(l.diff_id);
    auto chains = chain_ids(ids);
    std::string dir = layer_dir(chains.back());
    if (!is_directory(dir)) {
      BERTH_TRY_ASSIGN(int64_t size, unpack_layer(content_.blob_path(digest), digest, dir));
      note_layer(chains.back(), digest, chains.size() > 1 ? chains[chains.size() - 2] : "", size);
    }
  } else if (!options.reuse_layer_of.empty()) {
    BERTH_TRY_ASSIGN(std::string sid, resolve_id(options.reuse_layer_of));
    BERTH_TRY_ASSIGN(ImageRecord source, read_record(sid));
    if (options.reuse_layer_index < 0 ||
        options.reuse_layer_index >= static_cast<int>(source.layers.size()))
      return make_error(Code::kInvalidArgument, "layer " +
                                                    std::to_string(options.reuse_layer_index) +
                                                    " of " + sid + ": no such layer")
          .context(what);
    const LayerRecord& layer = source.layers[options.reuse_layer_index];
    rec.layers.push_back(layer);
    diff_ids.push_back(layer.diff_id);
  } else {
    entry["empty_layer"] = true;
  }
  history.push_back(entry);
  out["history"] = history;
  out["rootfs"] = {{"type", "layers"}, {"diff_ids", diff_ids}};

  std::string config_text = dump_json(out);
  BERTH_TRY_ASSIGN(std::string config_digest, content_.put(config_text));
  Json layers = Json::array();
  for (auto& l : rec.layers)
    layers.push_back({{"mediaType", l.media_type}, {"size", l.size}, {"digest", l.digest}});
  Json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kDockerManifest},
      {"config",
       {{"mediaType", kDockerConfig}, {"size", config_text.size()}, {"digest", config_digest}}},
      {"layers", layers}};
  BERTH_TRY_ASSIGN(std::string manifest_digest, content_.put(dump_json(manifest)));
  rec.id = rec.config_digest = config_digest;
  rec.manifest_digest = manifest_digest;
  rec.manifest_media_type = kDockerManifest;
  rec.created = created_text;
  BERTH_TRY_CTX(record_image(rec, tags), what);
  BERTH_TRY_ASSIGN(ImageRecord stored, read_record(rec.id));
  return to_image(stored);
}

}  // namespace berth::image::internal
