// The builder's internals: one stage's execution state and the COPY/ADD layer writer.
// Internal to src/build.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "builder/builder.h"
#include "builder/config_ops.h"
#include "builder/dockerfile.h"
#include "builder/internal/cache_from.h"

namespace berth::builder::internal {

struct StageState {
  std::string image_id;  // the current step's image ("" = scratch, nothing committed yet)
  ConfigState cfg;
  Vars args;                      // ARGs declared in this stage with a value
  std::vector<std::string> used;  // "K=v" of declared ARGs, in order (RUN's "|N K=v" prefix)
};

// Everything one build shares between its stages.
struct BuildContext {
  Backend& backend;
  const BuildOptions& options;
  std::string context_dir;
  const Dockerfile& df;
  Vars meta_args;  // global ARG values (before the first FROM)
  std::mutex out_mu;
  const OutputFn& out;
  std::map<std::string, std::string> stage_images;  // stage index/name -> image ID (done)
  std::mutex stages_mu;
  int total_steps = 0;
  std::atomic<int> cached{0};
  std::atomic<int> steps{0};
  std::vector<CacheSource> cache_sources;  // --cache-from images
  std::map<int, std::string> stage_bases;  // stage index -> its FROM image ID (--squash)

  void print(const std::string& text) {
    std::lock_guard lock(out_mu);
    out(text);
  }
};

// The stage an image word names ("builder", "0"), or -1 when it names an image.
int stage_index(const Dockerfile& df, const std::string& word, int before = -1);

// ADD's download: GET `url` (http or https) into `path` (mode 0600), verified against
// `checksum` ("sha256:<hex>") when given.
struct UrlFile {
  std::string name;   // the URL's last path segment, else Content-Disposition's; "" when none
  int64_t mtime = 0;  // Last-Modified (0 without)
};
Result<UrlFile> fetch_url(const std::string& url, const std::string& path,
                          const std::string& checksum);

// Files removed when their last owner goes (ADD's downloads, kept until the layer is written).
struct TempFiles {
  std::vector<std::string> paths;
  TempFiles() = default;
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;
  ~TempFiles();
};

// COPY and ADD: writes the layer for `ins` into a tar under the backend's tmp dir, keyed for
// the cache.  `src_root`: the context dir or a mounted stage/image; `dest_root`: the current
// image mounted (for "is the destination a directory" and --chown names), or "".
struct CopyPlan {
  std::string cache_key_part;  // hash of sources' content and metadata, flags, destination
  std::string created_by;      // "/bin/sh -c #(nop) COPY file:<hex> in /dst "
  std::function<Result<std::string>()> write_layer;  // returns the tar path
  std::shared_ptr<TempFiles> downloads;
};
Result<CopyPlan> plan_copy(BuildContext& bc, StageState& st, const Instruction& ins,
                           const std::vector<std::string>& words, const std::string& src_root,
                           const std::string& dest_root);

// WORKDIR: a layer holding the directory (and missing parents) when the image lacks it; "" when
// it exists.  `dest_root`: the current image mounted.
Result<std::string> workdir_layer(BuildContext& bc, const std::string& dest_root,
                                  const std::string& dir);

// --squash: `image_id` as `base_id` ("" = scratch) plus one layer, history kept (squash.cpp).
Result<std::string> squash_image(Backend& backend, const std::string& image_id,
                                 const std::string& base_id, int64_t source_date_epoch);

std::string short_id(const std::string& id);

}  // namespace berth::builder::internal
