// The build context: a tar (any compression) unpacked into a temp dir with libarchive's secure
// extraction (no absolute paths, no "..", no writes through symlinks); secrets taken out.
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <memory>

#include "base/file.h"
#include "base/strings.h"
#include "base/unique_fd.h"
#include "builder/builder.h"
#include "builder/internal/executor.h"

namespace berth::builder {
namespace {
struct ReadFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
constexpr size_t kMaxSecretSize = 500 * 1024;
}  // namespace

Status extract_context(int fd, const std::string& dir,
                       std::map<std::string, std::string>* secrets) {
  std::unique_ptr<archive, ReadFree> a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_format_empty(a.get());
  if (archive_read_open_fd(a.get(), fd, 65536) != ARCHIVE_OK)
    return make_error(Code::kInvalidArgument,
                      std::string("read build context: ") + archive_error_string(a.get()));
  std::unique_ptr<archive, WriteFree> w(archive_write_disk_new());
  archive_write_disk_set_options(w.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                              ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                              ARCHIVE_EXTRACT_SECURE_NODOTDOT);
  archive_entry* e;
  while (true) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
      return make_error(Code::kInvalidArgument,
                        std::string("read build context: ") + archive_error_string(a.get()));
    std::string name = archive_entry_pathname(e);
    if (name.empty() || name[0] == '/' || name.find("..") != std::string::npos) {
      bool bad = name.empty() || name[0] == '/';
      for (auto& part : split(name, '/')) bad = bad || part == "..";
      if (bad) continue;
    }
    std::string secrets_dir = std::string(kContextSecretsDir) + "/";
    if (secrets && name.compare(0, secrets_dir.size(), secrets_dir) == 0) {
      std::string id = name.substr(secrets_dir.size());
      std::string value;
      const void* buf;
      size_t size;
      la_int64_t off;
      int rr;
      while ((rr = archive_read_data_block(a.get(), &buf, &size, &off)) == ARCHIVE_OK) {
        value.append(static_cast<const char*>(buf), size);
        if (value.size() > kMaxSecretSize)
          return make_error(Code::kInvalidArgument, "secret " + id + ": larger than 500 KiB");
      }
      if (rr != ARCHIVE_EOF)
        return make_error(Code::kInvalidArgument,
                          "read build context: " + std::string(archive_error_string(a.get())));
      if (!id.empty() && id.find('/') == std::string::npos) (*secrets)[id] = std::move(value);
      continue;
    }
    // Absolute targets under `dir`: the daemon is multi-threaded, so no chdir.
    archive_entry_set_pathname(e, (dir + "/" + name).c_str());
    if (const char* hl = archive_entry_hardlink(e))
      archive_entry_set_hardlink(e, (dir + "/" + hl).c_str());
    if (archive_write_header(w.get(), e) != ARCHIVE_OK)
      return make_error(Code::kInvalidArgument,
                        "extract " + name + ": " + archive_error_string(w.get()));
    const void* buf;
    size_t size;
    la_int64_t off;
    int rr;
    while ((rr = archive_read_data_block(a.get(), &buf, &size, &off)) == ARCHIVE_OK)
      if (archive_write_data_block(w.get(), buf, size, off) != ARCHIVE_OK)
        return make_error(Code::kInternal,
                          "extract " + name + ": " + archive_error_string(w.get()));
    if (rr != ARCHIVE_EOF)
      return make_error(Code::kInvalidArgument,
                        "read build context: " + std::string(archive_error_string(a.get())));
    archive_write_finish_entry(w.get());
  }
  if (archive_write_close(w.get()) != ARCHIVE_OK)
    return make_error(Code::kInternal,
                      "extract context: " + std::string(archive_error_string(w.get())));
  return ok_status();
}

namespace internal {

TempFiles::~TempFiles() {
  for (auto& p : paths) (void)::unlink(p.c_str());
}

}  // namespace internal
}  // namespace berth::builder
