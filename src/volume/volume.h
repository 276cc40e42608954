// Volumes with Docker's `local` driver: each volume is <root>/<name>/_data, a plain directory,
// or — with the type/o/device options — a filesystem mounted there while a container uses it.
// Records persist in the metadata database (Table::kVolumes).  The store does not know which
// containers use a volume: the engine checks that before remove.  Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.h"
#include "model/volume.h"
#include "store/db.h"

namespace berth::volume {

struct Volume {
  std::string name;
  std::string driver = "local";
  std::string mountpoint;  // <root>/<name>/_data
  int64_t created = 0;     // unix nanos
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> options;  // type, o, device
  bool anonymous = false;
};

struct CreateOptions {
  std::string name;  // "" = anonymous: a random 64-hex name
  std::string driver = "local";
  std::map<std::string, std::string> options;
  std::map<std::string, std::string> labels;
};

class VolumeStore {
 public:
  static Result<std::unique_ptr<VolumeStore>> open(store::Db& db, const std::string& root);

  // Docker: creating an existing name with the same driver returns the existing volume.
  Result<Volume> create(const CreateOptions& options);
  Result<Volume> get(const std::string& name);  // NotFound with Docker's words
  std::vector<Volume> list();
  // REQUIRES: no container uses it (the engine checks).  Unmounts and deletes its data.
  Status remove(const std::string& name);
  // The host path to bind into a container; mounts an option-backed volume on first use.
  Result<std::string> acquire(const std::string& name);
  void release(const std::string& name);
  // True when the volume's data directory has no entries (copy-up happens only then).
  bool empty(const std::string& name);

 private:
  VolumeStore(store::Db& db, std::string root) : db_(db), root_(std::move(root)) {}
  store::Db& db_;
  std::string root_;
  std::mutex mu_;
  std::map<std::string, int> refs_;  // mounts of option-backed volumes in use
};

Status validate_name(const std::string& name);
// Docker's Volume (GET /volumes/{name}).
model::Volume volume_view(const Volume& v);
// The persisted record (model::VolumeRecord) as text, and back.
std::string volume_to_record(const Volume& v);
Result<Volume> volume_from_record(const std::string& text);
// Copies `from`'s tree into `to` (modes, owners, symlinks), as Docker's copy-up of image content.
Status copy_tree(const std::string& from, const std::string& to);

}  // namespace berth::volume
