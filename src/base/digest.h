// SHA-256 digests in the "sha256:<hex>" form OCI uses.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"

namespace berth {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex();  // finishes; call once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view data);
std::string sha256_digest(std::string_view data);  // "sha256:<hex>"
Result<std::string> sha256_file_digest(const std::string& path);
// True for "sha256:" followed by 64 lower-case hex digits.
bool is_valid_digest(std::string_view digest);
bool is_hex64(std::string_view text);

}  // namespace berth
