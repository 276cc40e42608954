// A temporary directory for loader tests, removed afterwards.
#pragma once

#include <stdlib.h>

#include <string>

#include "base/file.h"

namespace berth::compose::testing {

class TestDir {
 public:
  TestDir() {
    char tmpl[] = "/tmp/compose-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TestDir() { (void)remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string write(const std::string& rel, const std::string& text) const {
    std::string full = path_ + "/" + rel;
    std::string dir = full.substr(0, full.rfind('/'));
    (void)make_dirs(dir);
    (void)write_file(full, text);
    return full;
  }

 private:
  std::string path_;
};

}  // namespace berth::compose::testing
