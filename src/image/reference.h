// Image references as Docker parses them (distribution/reference): "busybox" is
// docker.io/library/busybox:latest; "host:5000/a/b:v1" keeps its registry; "name@sha256:<hex>"
// pins a digest.  Pure functions, thread-safe.
#pragma once

#include <string>

#include "base/error.h"

namespace berth::image {

struct Reference {
  std::string domain;  // "docker.io", "localhost:5000"
  std::string path;    // "library/busybox"
  std::string tag;     // "latest"; empty when only a digest was given
  std::string digest;  // "sha256:<hex>" or empty

  std::string name() const { return domain + "/" + path; }  // "docker.io/library/busybox"
  // "docker.io/library/busybox:latest" (the key of a tag record).
  std::string full() const;
  // "busybox:latest", "user/app:v1", "host:5000/a:b" (Docker's RepoTags form).
  std::string familiar() const;
  std::string familiar_name() const;  // "busybox", "host:5000/a"
};

// Parses and normalises `ref`; adds tag "latest" when neither tag nor digest is given.
// InvalidArgument with Docker's message for a bad name.
Result<Reference> parse_reference(const std::string& ref);

}  // namespace berth::image
