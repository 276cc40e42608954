// Helpers for the image tests: temp data roots and tars built in memory with libarchive.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>

#include <string>

#include "base/file.h"

namespace berth::image::testing {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/berth-image-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { (void)remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class TarBuilder {
 public:
  explicit TarBuilder(bool gzip = false) : a_(archive_write_new()) {
    archive_write_set_format_pax_restricted(a_);
    if (gzip) archive_write_add_filter_gzip(a_);
    archive_write_set_bytes_in_last_block(a_, 1);
    archive_write_open(a_, &out_, nullptr, &TarBuilder::append, nullptr);
  }
  ~TarBuilder() { archive_write_free(a_); }

  TarBuilder& file(const std::string& name, const std::string& data, int mode = 0644) {
    return entry(name, AE_IFREG, mode, data, "", "");
  }
  TarBuilder& dir(const std::string& name, int mode = 0755) {
    return entry(name, AE_IFDIR, mode, "", "", "");
  }
  TarBuilder& symlink(const std::string& name, const std::string& target) {
    return entry(name, AE_IFLNK, 0777, "", target, "");
  }
  TarBuilder& hardlink(const std::string& name, const std::string& target) {
    return entry(name, AE_IFREG, 0644, "", "", target);
  }
  std::string finish() {
    archive_write_close(a_);
    return out_;
  }

 private:
  static la_ssize_t append(archive*, void* data, const void* buf, size_t n) {
    static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  }
  TarBuilder& entry(const std::string& name, mode_t type, int mode, const std::string& data,
                    const std::string& symlink, const std::string& hardlink) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, mode);
    archive_entry_set_mtime(e, 1000, 0);
    if (!symlink.empty()) archive_entry_set_symlink(e, symlink.c_str());
    if (!hardlink.empty()) archive_entry_set_hardlink(e, hardlink.c_str());
    archive_entry_set_size(e, hardlink.empty() ? data.size() : 0);
    archive_write_header(a_, e);
    if (!data.empty()) archive_write_data(a_, data.data(), data.size());
    archive_entry_free(e);
    return *this;
  }
  archive* a_;
  std::string out_;
};

}  // namespace berth::image::testing
