// Image manifests and indexes as registries serve them (Docker v2 schema 2 and manifest lists,
// OCI 1.1 manifests and indexes), and platform selection.  Internal to src/image.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"

namespace berth::image::internal {

struct Platform {
  std::string os, architecture, variant;
  std::string str() const {
    return os + "/" + architecture + (variant.empty() ? "" : "/" + variant);
  }
};

// "linux/amd64", "linux/arm64/v8", "amd64" (os linux); "" = the host's platform.
Result<Platform> parse_platform(const std::string& text);
Platform host_platform();

struct Descriptor {
  std::string media_type, digest;
  int64_t size = 0;
  Platform platform;  // index entries only
};

struct ParsedManifest {
  bool is_index = false;
  std::string media_type;
  std::string artifact_type;  // OCI 1.1, kept verbatim in the stored manifest
  std::string config_media_type, config_digest;
  int64_t config_size = 0;
  std::vector<Descriptor> layers;
  std::vector<Descriptor> manifests;  // an index's entries
};

// Parses a manifest or index.  `content_type` (the registry's header) is used when the
// document has no mediaType.  InvalidArgument for anything else (schema 1 included).
Result<ParsedManifest> parse_manifest(const std::string& body, const std::string& content_type);

// The digest of the index entry for `want` (variant-tolerant, arm64 "v8" = none), or NotFound
// with Docker's "no matching manifest for linux/amd64 in the manifest list entries".
Result<std::string> select_platform(const ParsedManifest& index, const Platform& want);

}  // namespace berth::image::internal
