// Berth's metadata database: one SQLite file (WAL mode) under the data root, the single source
// of truth for containers, image references, volumes and networks.  Each table maps a key to a
// JSON document; callers own the document shapes.  Thread-safe: calls are serialised.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace berth::store {

// The tables that exist.  Adding one here creates it on the next open (a migration).
enum class Table { kContainers, kImages, kTags, kLayers, kVolumes, kNetworks, kMeta };

class Db {
 public:
  // Opens or creates the database at `path` and applies migrations.
  static Result<std::unique_ptr<Db>> open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status put(Table table, const std::string& key, const std::string& value);
  Result<std::string> get(Table table, const std::string& key);  // NotFound when absent
  Result<std::vector<std::pair<std::string, std::string>>> list(Table table);
  Status remove(Table table, const std::string& key);  // absent is fine
  // Runs `fn` in one transaction: all its puts and removes land, or none.
  Status transaction(const std::function<Status()>& fn);

 private:
  struct Impl;
  explicit Db(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace berth::store
