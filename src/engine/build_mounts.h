// The engine's side of RUN --mount for build steps: secrets on a private tmpfs that lives only
// as long as the step, and the removal of the mount points the runtime had to create in the
// step's upper dir (BuildKit removes these stubs too), so neither reaches the step's layer.
// Thread-compatible: each step owns its objects.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "builder/builder.h"

namespace berth::engine {

// A tmpfs mounted at a fresh directory under `parent`, holding one file per secret with its
// mode and owner; unmounted and removed by the destructor.  Move-only.
class SecretMount {
 public:
  static Result<SecretMount> create(
      const std::string& parent, const std::vector<builder::Backend::RunSpec::SecretFile>& files);
  SecretMount(SecretMount&& other) noexcept
      : dir_(std::move(other.dir_)), binds_(std::move(other.binds_)) {
    other.dir_.clear();
  }
  SecretMount& operator=(SecretMount&&) = delete;
  SecretMount(const SecretMount&) = delete;
  ~SecretMount();
  // "host-file:target:ro", one per secret, in the order given.
  const std::vector<std::string>& binds() const { return binds_; }

 private:
  explicit SecretMount(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::vector<std::string> binds_;
};

// Removes from `upper` (a step container's overlay upper dir) what the runtime created only to
// mount on `targets` (container paths): a target missing from every `lowers` dir (the image's
// layers) that is still an empty file or directory, with the directories made for it, and the
// parent directories it caused to be copied up when they are empty and unchanged.  Never
// follows symlinks; anything the step itself wrote stays.
void remove_mount_stubs(const std::string& upper, const std::vector<std::string>& lowers,
                        const std::vector<std::string>& targets);

}  // namespace berth::engine
