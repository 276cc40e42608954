// `berth build`'s context: .dockerignore matching (moby/patternmatcher rules) and the context
// tar the daemon receives.  Pure, thread-compatible.
#pragma once

#include <sys/stat.h>

#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace berth::cli {

class IgnoreMatcher {
 public:
  static Result<IgnoreMatcher> parse(const std::string& dockerignore_text);
  // `rel`: a slash-separated path relative to the context root.
  bool excluded(const std::string& rel) const;
  bool has_exclusions() const { return has_exclusions_; }

 private:
  struct Pattern {
    std::string text;
    std::regex re;
    bool exclusion = false;
    int depth = 0;
  };
  std::vector<Pattern> patterns_;
  bool has_exclusions_ = false;
};

// A minimal ustar writer (PAX records for long names), root-owned entries.
class TarWriter {
 public:
  explicit TarWriter(int fd) : fd_(fd) {}
  Status add(const std::string& name, const struct stat& st, const std::string& link,
             const std::string& data_path, const std::string* inline_data = nullptr);
  Status finish();

 private:
  int fd_;
};

// `--secret id=x[,src=file|,env=VAR][,type=file|env]` (buildx's syntax): the id and the value,
// read from the file, from the CLI's environment variable, or (neither given) from the
// environment variable named like the id.
Result<std::pair<std::string, std::string>> read_build_secret(const std::string& spec);

// The context tar entry carrying a secret to the daemon (builder::kContextSecretsDir; see
// src/build/README.md): taken out by the daemon before the context is used, never extracted.
std::string secret_entry_name(const std::string& id);

// Writes `dir` minus the ignored paths (entries of `always` are kept) to fd; no end blocks, so
// the caller can append entries and then TarWriter::finish.
Status write_context_tar(int fd, const std::string& dir, const IgnoreMatcher& ignore,
                         const std::vector<std::string>& always);

}  // namespace berth::cli
