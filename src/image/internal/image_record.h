// The image record kept in the kImages table (keyed by image ID) and its JSON form, plus the
// parsing of an image config blob into the engine's Image.  Internal to src/image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "image/image_store.h"

namespace berth::image::internal {

inline constexpr const char* kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr const char* kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr const char* kDockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar";
inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kOciLayerTar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

// Foreign (Windows base) and non-distributable layers are neither pulled, pushed nor unpacked.
inline bool is_foreign_layer(const std::string& media_type) {
  return media_type.find("foreign") != std::string::npos ||
         media_type.find("nondistributable") != std::string::npos;
}

struct LayerRecord {
  std::string digest;   // of the blob as stored (compressed or not)
  std::string diff_id;  // of the uncompressed tar
  std::string media_type;
  int64_t size = 0;               // blob size
  int64_t uncompressed_size = 0;  // tar size
};

struct ImageRecord {
  std::string id;  // == config_digest
  std::string config_digest;
  std::string manifest_digest;
  std::string manifest_media_type;
  std::vector<LayerRecord> layers;
  std::vector<std::string> repo_tags;     // full references: "docker.io/library/busybox:latest"
  std::vector<std::string> repo_digests;  // full: "docker.io/library/busybox@sha256:..."
  std::string created;
  std::string parent;  // Image::parent
};

std::string record_to_json(const ImageRecord& rec);
Result<ImageRecord> record_from_json(const std::string& text);

// Fills everything but repo_tags/repo_digests/size from the config blob.
Result<Image> image_from_config(const std::string& config_json);

// The config's rootfs.diff_ids.
Result<std::vector<std::string>> config_diff_ids(const std::string& config_json);

}  // namespace berth::image::internal
