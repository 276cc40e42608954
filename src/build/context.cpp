// The build context: a tar (any compression) unpacked into a temp dir with libarchive's secure
// extraction (no absolute paths, no "..", no writes through symlinks), and ADD's http fetch.
#include <archive.h>
#include <archive_entry.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "base/file.h"
#include "base/strings.h"
#include "base/unique_fd.h"
#include "build/builder.h"
#include "build/internal/executor.h"

namespace berth::build {
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

Result<std::string> http_fetch(const std::string& url, const std::string& path) {
  if (url.compare(0, 7, "http://") != 0)
    return make_error(Code::kNotImplemented, "ADD " + url + ": only http:// URLs are supported");
  std::string rest = url.substr(7);
  std::string hostport = rest.substr(0, rest.find('/'));
  std::string target = rest.find('/') == std::string::npos ? "/" : rest.substr(rest.find('/'));
  std::string host = hostport, port = "80";
  if (size_t c = hostport.rfind(':'); c != std::string::npos)
    host = hostport.substr(0, c), port = hostport.substr(c + 1);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return make_error(Code::kUnavailable, "ADD " + url + ": " + gai_strerror(rc));
  UniqueFd fd(::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int crc = fd.get() >= 0 ? ::connect(fd.get(), res->ai_addr, res->ai_addrlen) : -1;
  ::freeaddrinfo(res);
  if (crc != 0) return sys_error("ADD " + url + ": connect");
  BERTH_TRY(write_all(fd.get(), "GET " + target + " HTTP/1.0\r\nHost: " + hostport +
                                    "\r\nUser-Agent: berth\r\nConnection: close\r\n\r\n"));
  BERTH_TRY_ASSIGN(std::string resp, read_all(fd.get()));
  size_t hdr_end = resp.find("\r\n\r\n");
  if (hdr_end == std::string::npos)
    return make_error(Code::kUnavailable, "ADD " + url + ": bad HTTP reply");
  std::string status_line = resp.substr(0, resp.find("\r\n"));
  auto parts = split(status_line, ' ');
  if (parts.size() < 2 || parts[1] != "200")
    return make_error(Code::kUnavailable, "ADD " + url + ": invalid response status " +
                                              (parts.size() > 1 ? parts[1] : "?"));
  BERTH_TRY(write_file(path, std::string_view(resp).substr(hdr_end + 4), 0600));
  std::string name = target.substr(target.rfind('/') + 1);
  if (size_t q = name.find('?'); q != std::string::npos) name = name.substr(0, q);
  if (name.empty()) name = "index.html";
  return name;
}

}  // namespace internal
}  // namespace berth::build
