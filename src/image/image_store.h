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
  // The image this one was committed on (build steps, `docker commit`, a --cache-from hit);
  // "" for pulled and loaded images.  Docker's Parent: an untagged image that is some image's
  // parent is an intermediate, hidden by `images` without -a.
  std::string parent;
};

// One progress line of a long operation: "Loading layer", "Loaded image: busybox:latest".
using ProgressFn = std::function<void(const std::string& line)>;

// One event of a pull or push, as Docker's JSON progress messages carry it: `id` is a short
// layer ID or a tag ("" for whole-operation lines), `status` "Downloading", "Pull complete", ...
struct ProgressEvent {
  std::string id;
  std::string status;
  int64_t current = 0;
  int64_t total = 0;  // 0 when there is no bar
};
using EventFn = std::function<void(const ProgressEvent& event)>;

// Credentials for a registry (Docker's AuthConfig).  Empty: the store looks in the daemon
// user's ~/.docker/config.json.
struct RegistryAuth {
  std::string username;
  std::string password;
  std::string identity_token;
  std::string registry_token;
  bool empty() const {
    return username.empty() && password.empty() && identity_token.empty() && registry_token.empty();
  }
};

// Docker's X-Registry-Auth header: base64url JSON {username, password, serveraddress,
// identitytoken, registrytoken}.  Empty auth for an empty or unreadable header.
RegistryAuth decode_registry_auth(const std::string& header, std::string* server = nullptr);
// The same JSON as a POST /auth body.
RegistryAuth parse_auth_config(const std::string& json, std::string* server = nullptr);

struct RegistrySettings {
  std::vector<std::string> insecure_registries;  // "host:port", plain HTTP allowed
  std::vector<std::string> certs_dirs = {"/etc/berth/certs.d", "/etc/docker/certs.d"};
};

struct PullOptions {
  std::string platform;  // "linux/amd64", "linux/arm64/v8"; "" = the host's
  RegistryAuth auth;
};

// The digest a manifest or index has and the platforms it offers (GET /distribution).
struct DistributionInfo {
  std::string media_type;
  std::string digest;
  int64_t size = 0;
  std::vector<std::string> platforms;  // "linux/amd64", "linux/arm/v7"
};

// One line of DELETE /images: {"Untagged": "busybox:latest"} or {"Deleted": "sha256:..."}.
struct RemoveItem {
  bool deleted = false;  // false: untagged
  std::string value;
};

struct RemoveOptions {
  bool force = false;
  bool noprune = false;
  // The container IDs using an image, and whether one of them runs (from the engine).
  std::function<std::vector<std::pair<std::string, bool>>(const std::string& image_id)> users;
};

struct HistoryEntry {
  std::string id;  // the image ID for the top entry, "<missing>" below
  int64_t created = 0;
  std::string created_by;
  std::vector<std::string> tags;
  int64_t size = 0;
  std::string comment;
};

// What `docker commit` and each build step turn into an image (ImageStore::commit).
struct CommitOptions {
  std::string parent;       // image ID or reference the new image builds on; "" = none (scratch)
  std::string layer_tar;    // an uncompressed tar of the diff (moved into the store); "" = none
  std::string config_json;  // the new image's "config" object; "" = the parent's
  std::string created_by;   // the history entry's created_by
  std::string comment;      // the history entry's (and the image's) comment
  std::string author;
  int64_t created = -1;           // unix seconds; -1 = now
  std::vector<std::string> tags;  // references to point at the new image
  // Instead of layer_tar: the layer at `reuse_layer_index` (an index into its diff_ids) of the
  // image `reuse_layer_of`, already in the store (a --cache-from hit).
  std::string reuse_layer_of;
  int reuse_layer_index = -1;
  // Instead of created_by/comment/author/created: this history entry (JSON), verbatim.
  std::string history_entry;
  // Instead of the parent's history under the new entry: this JSON array (a squashed build's
  // steps, marked empty_layer).  The new entry has no created_by when created_by is "".
  std::string base_history;
};

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

  // Records a child of options.parent: its layers plus options.layer_tar (stored uncompressed,
  // as Docker's own builds are), a config with options' changes and a history entry
  // (empty_layer when there is no layer), a schema 2 manifest; tags it.
  virtual Result<Image> commit(const CommitOptions& options) = 0;
  // Records `parent_id` as the Parent of `image_id` (a --cache-from image reused whole).
  virtual Status set_parent(const std::string& image_id, const std::string& parent_id) = 0;

  // Registries: endpoints, insecure list and CA dirs (from daemon flags).
  virtual void set_registry_settings(const RegistrySettings& settings) = 0;

  // Pulls `ref` from its registry: manifest (or index, narrowed to the platform), config, then
  // layers in parallel, each verified and unpacked while it downloads.  The image is recorded
  // only when everything verified; blobs that did verify stay, so a retry resumes.
  virtual Result<Image> pull(const std::string& ref, const PullOptions& options,
                             const EventFn& progress) = 0;
  // Pushes the image tagged `ref`: HEAD each blob, mount from another repository of the same
  // registry when possible, upload the rest, then put the manifest.  Returns its digest.
  virtual Result<std::string> push(const std::string& ref, const RegistryAuth& auth,
                                   const EventFn& progress) = 0;
  // Checks credentials against a registry ("" = docker.io).  Unauthorized when refused.
  virtual Status login(const std::string& server, const RegistryAuth& auth) = 0;
  virtual Result<DistributionInfo> distribution(const std::string& ref,
                                                const RegistryAuth& auth) = 0;

  // Docker's image removal: a name is untagged, and the image deleted when nothing else names
  // it; an ID deletes (force: untagging every name).  Conflict when containers use it.  Unless
  // noprune, a deleted image's untagged parents that no container uses and no other image
  // builds on are deleted too (a build's intermediate images go with its result).
  virtual Result<std::vector<RemoveItem>> remove(const std::string& ref_or_id,
                                                 const RemoveOptions& options) = 0;
  virtual Result<std::vector<HistoryEntry>> history(const std::string& ref_or_id) = 0;
  // Bytes of unpacked layers on disk (each shared layer counted once).
  virtual Result<int64_t> layers_size() = 0;
};

}  // namespace berth::image
