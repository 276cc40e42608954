// The Dockerfile builder: parses, plans the stages the target needs as a graph (independent
// stages run in parallel), and runs each instruction, committing an image per step as Docker's
// classic builder does, with a persistent cache keyed on the parent image and the step's
// inputs (COPY/ADD on file content and metadata, never mtime).  It reaches the engine only
// through `Backend`, which engine/engine_build.cpp implements, so build/ does not depend on
// engine/.  Thread-safe: concurrent builds share nothing but the backend.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "image/image_store.h"
#include "model/container.h"

namespace berth::builder {

// What the builder needs from the engine.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual image::ImageStore& images() = 0;
  // Names the result (-t): through the engine, which reports it as an image `tag` event.
  virtual Status tag(const std::string& image_id, const std::string& ref) = 0;
  // A directory on the image store's filesystem for layer tars (moved into the store).
  virtual std::string tmp_dir() = 0;
  // A persistent directory for RUN --mount=type=cache (kept across builds, gone on prune).
  virtual std::string cache_mount_dir(const std::string& id) = 0;

  struct RunSpec {
    std::string image_id;           // "" = scratch
    model::ContainerConfig config;  // the step container's Config
    bool network_none = false;
    int64_t clamp_mtime = -1;        // SOURCE_DATE_EPOCH
    std::string layer_tar;           // where to write the changes
    std::vector<std::string> binds;  // RUN --mount=type=bind|cache: "host:container[:ro]"
    std::vector<std::string> tmpfs;  // RUN --mount=type=tmpfs targets
    // RUN --mount=type=secret: files the backend puts on a private tmpfs and binds read-only
    // at `target` for this step only; never in the step's layer.
    struct SecretFile {
      std::string target;
      std::string data;
      int mode = 0400;
      uint32_t uid = 0;
      uint32_t gid = 0;
    };
    std::vector<SecretFile> secrets;
    std::vector<std::string> secret_env;  // "VAR=value" (--mount=type=secret,env=VAR)
  };
  struct RunResult {
    int exit_code = 0;
    bool changed = false;  // layer_tar holds the changes
    std::string container_id;
  };
  // Runs one RUN step in a container of spec.image_id, streaming its output, and removes the
  // container afterwards.
  virtual Result<RunResult> run(const RunSpec& spec,
                                const std::function<void(const std::string&)>& output) = 0;
  // The image's filesystem, mounted read-only at a fresh directory (for COPY --from and for
  // looking at the destination); unmount_image undoes it.
  virtual Result<std::string> mount_image(const std::string& image_id) = 0;
  virtual void unmount_image(const std::string& path) = 0;
  // The persistent cache (survives daemon restarts).
  virtual Result<std::string> cache_get(const std::string& key) = 0;
  virtual Status cache_put(const std::string& key, const std::string& value) = 0;
  // Removes every entry; returns the values (image IDs) they held.
  virtual Result<std::vector<std::string>> cache_clear() = 0;
};

struct BuildOptions {
  std::string dockerfile = "Dockerfile";  // relative to the context
  std::vector<std::string> tags;
  std::map<std::string, std::optional<std::string>> build_args;  // nullopt: from the environment
  std::map<std::string, std::string> labels;
  std::string target;
  bool no_cache = false;
  bool pull = false;
  bool squash = false;  // the result as its stage's base plus one layer (squash.cpp)
  std::vector<std::string> cache_from;
  std::string network_mode;        // "none" makes every RUN --network=none
  int64_t source_date_epoch = -1;  // SOURCE_DATE_EPOCH build arg
  image::RegistryAuth auth;
  // `--secret id=...` values by id: kept in memory, reach only the RUN steps that mount them.
  std::map<std::string, std::string> secrets;
};

// Where `berth build --secret` puts secrets in the context tar: entries "<dir>/<id>", read into
// memory by extract_context (when asked) and never written to the context dir.
inline constexpr const char* kContextSecretsDir = ".berth-build-secrets";

struct BuildResult {
  std::string image_id;
  int steps = 0;
  int cached = 0;
};

// Docker's classic-builder stream text: "Step 1/3 : FROM busybox\n", " ---> abc\n", RUN output.
using OutputFn = std::function<void(const std::string& text)>;

// Builds the Dockerfile in `context_dir` (already filtered by .dockerignore).  Errors name the
// Dockerfile line; no tag is touched unless the whole build succeeded.
Result<BuildResult> build(Backend& backend, const std::string& context_dir,
                          const BuildOptions& options, const OutputFn& out);

// Unpacks a build context tar (any compression) from `fd` into `dir`, refusing paths that leave.
// With `secrets`, entries under kContextSecretsDir are read into it (id -> value, 500 KiB at
// most each, as BuildKit limits) instead of being extracted.
Status extract_context(int fd, const std::string& dir,
                       std::map<std::string, std::string>* secrets = nullptr);

// Empties the build cache: its entries, and the untagged step images nothing else uses.
// Returns the bytes reclaimed (approximate) and the removed image IDs.
Result<std::pair<int64_t, std::vector<std::string>>> prune_cache(Backend& backend);

}  // namespace berth::builder
