// Unpacking layers into directories that overlayfs stacks as lower dirs.  Each directory holds
// one layer's diff only; whiteouts become overlay whiteouts (character device 0/0) and opaque
// markers become the trusted.overlay.opaque xattr.  Extraction never writes outside its
// directory: absolute paths, ".." components, paths through symlinks and hard links that leave
// the layer are rejected.  Thread-safe: concurrent unpacks of one layer each use their own temp
// dir and the first rename wins.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace berth::image {

// OCI chain IDs: chain(0) = diff(0), chain(n) = sha256(chain(n-1) + " " + diff(n)).
std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids);

// Unpacks the (possibly compressed) layer blob at `blob_path` to `dest` (which must not exist
// yet; its parent must), verifying that the uncompressed stream hashes to `diff_id`.  Works in
// a temp dir next to `dest` and renames it into place; if another unpack won the race, its
// result stands.  On failure nothing is left behind.  Returns the uncompressed size.
Result<int64_t> unpack_layer(const std::string& blob_path, const std::string& diff_id,
                             const std::string& dest);

// The same for a layer stream read from `fd` until EOF (fed while the blob downloads).  Always
// reads to EOF on success so the writer is never blocked; `dest` must not exist.
Result<int64_t> unpack_layer_stream(int fd, const std::string& diff_id, const std::string& dest);

}  // namespace berth::image
