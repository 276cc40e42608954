// The image store: images as the engine sees them.  Owns the content store
// (<data-root>/content/blobs/sha256/<hex>, every blob verified against its digest before it is
// visible), the unpacked layers (<data-root>/layers/<chain-id-hex>/, used as overlay lower dirs)
// and the image and tag records in the metadata database.  An image is recorded only after all
// its blobs are present and verified, so a failed load or bootstrap leaves no broken image.
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "store/db.h"

namespace berth::image {

// The parts of an image config (OCI image-spec "config") that a container is made from.
struct ImageConfig {
  std::vector<std::string> env;  // "KEY=value"
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  std::string working_dir;
  std::string user;
  std::string stop_signal;
  std::map<std::string, std::string> labels;
  std::vector<std::string> exposed_ports;  // "80/tcp"
  std::vector<std::string> volumes;        // "/data"
};

struct Image {
  std::string id;                         // "sha256:<hex>": digest of the config blob
  std::vector<std::string> repo_tags;     // familiar form: "busybox:latest", "host:5000/a/b:v1"
  std::vector<std::string> repo_digests;  // "busybox@sha256:..."
  std::string config_json;                // the config blob, verbatim
  ImageConfig config;
  std::string created;                // RFC 3339, from the config
  std::string architecture;           // "amd64"
  std::string os;                     // "linux"
  std::vector<std::string> diff_ids;  // "sha256:..." of each uncompressed layer, lowest first
  int64_t size = 0;                   // sum of uncompressed layer sizes (Docker's Size)
};

// One progress line of a long operation: "Loading layer", "Loaded image: busybox:latest".
using ProgressFn = std::function<void(const std::string& line)>;

// Docker's familiar form of a reference: "busybox" -> "busybox:latest",
// "docker.io/library/busybox:1" -> "busybox:1", "host:5000/a:b" unchanged.  InvalidArgument with
// Docker's message ("invalid reference format", "...must be lowercase") for a bad name.
Result<std::string> normalize_reference(const std::string& ref);

class ImageStore {
 public:
  // Opens the store under `data_root`, creating its directories.  `db` outlives the store.
  static Result<std::unique_ptr<ImageStore>> open(const std::string& data_root, store::Db& db);
  virtual ~ImageStore() = default;

  // Builds `tag` (default busybox:latest) from a static busybox binary: one gzip layer holding
  // /bin/busybox and a link for each applet, a config (Cmd ["sh"], Env PATH, architecture, os,
  // rootfs diff_ids, history) and a Docker v2 schema 2 manifest, stored as a pull would store it.
  virtual Result<Image> bootstrap_busybox(const std::string& busybox_path,
                                          const std::string& tag) = 0;

  // Looks an image up by reference ("busybox", "busybox:latest"), full ID ("sha256:<hex>"),
  // or unique ID prefix (at least 1 hex digit, "sha256:" optional).  NotFound when none.
  virtual Result<Image> get(const std::string& ref_or_id) = 0;
  virtual Result<std::vector<Image>> list() = 0;

  // The unpacked layer directories of `image`, topmost first (overlay lowerdir order),
  // unpacking any layer not unpacked yet.
  virtual Result<std::vector<std::string>> layer_dirs(const Image& image) = 0;

  // Reads an archive as `docker save` writes it (manifest.json and/or OCI index.json layout)
  // from `tar_fd` until EOF; returns the lines Docker prints ("Loaded image: busybox:latest" or
  // "Loaded image ID: sha256:...").  Nothing is recorded unless every blob verified.
  virtual Result<std::vector<std::string>> load(int tar_fd, const ProgressFn& progress) = 0;

  // Writes the images named by `refs` (references or IDs) to `out_fd` as a tar that both
  // `docker load` and Berth's load read (OCI layout plus manifest.json, as Docker 25+ writes).
  virtual Status save(const std::vector<std::string>& refs, int out_fd) = 0;

  // Points the reference `ref` at `image_id`, moving it from any other image.
  virtual Status tag(const std::string& image_id, const std::string& ref) = 0;
};

}  // namespace berth::image
