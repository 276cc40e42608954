// ADD <url>: an HTTP(S) GET through the registry client's libcurl adapter
// (image/registry/http_client.h), streamed to a file, with moby's rules for the result: mode
// 0600, mtime from Last-Modified, the name from the URL's last path segment or
// Content-Disposition, and BuildKit's --checksum.  TLS is always verified, against the system's
// CAs or, as Go programs like dockerd do, the bundle SSL_CERT_FILE names in the daemon's
// environment.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "base/digest.h"
#include "base/file.h"
#include "base/strings.h"
#include "base/unique_fd.h"
#include "builder/internal/executor.h"
#include "image/registry/http_client.h"

namespace berth::builder::internal {
namespace {

// RFC 7231's IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); 0 when unreadable.
int64_t parse_http_date(const std::string& text) {
  struct tm tm {};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end) return 0;
  return static_cast<int64_t>(::timegm(&tm));
}

std::string base_name(const std::string& path) {
  if (path.empty() || path.back() == '/') return "";
  return path.substr(path.rfind('/') + 1);
}

// filename="x" or filename=x from a Content-Disposition header.
std::string disposition_name(const std::string& header) {
  for (auto& part : split(header, ';')) {
    std::string p = trim(part);
    if (p.compare(0, 9, "filename=") != 0) continue;
    std::string v = p.substr(9);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    return base_name(v);
  }
  return "";
}

}  // namespace

Result<UrlFile> fetch_url(const std::string& url, const std::string& path,
                          const std::string& checksum) {
  if (url.compare(0, 7, "http://") != 0 && url.compare(0, 8, "https://") != 0)
    return make_error(Code::kInvalidArgument, "ADD " + url + ": only http and https URLs");
  if (!checksum.empty() && !is_valid_digest(checksum))
    return make_error(Code::kInvalidArgument, "invalid checksum digest format: " + checksum);
  image::registry::HttpRequest req;
  req.url = url;
  req.headers = {"User-Agent: berth"};
  if (const char* ca = std::getenv("SSL_CERT_FILE"); ca && *ca) req.tls.ca_file = ca;
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (fd.get() < 0) return sys_error("create " + path);
  Sha256 hash;
  Status written;
  auto client = image::registry::HttpClient::create();
  BERTH_TRY_ASSIGN(auto resp, client->send(req, [&](std::string_view chunk) {
    hash.update(chunk);
    written = write_all(fd.get(), chunk);
    return written.ok();
  }));
  if (resp.status < 200 || resp.status >= 300)
    return make_error(Code::kUnavailable, "failed to GET " + url + " with status " +
                                              std::to_string(resp.status) + ": " +
                                              trim(resp.body.substr(0, 200)));
  if (!written) return std::move(written).error().context("write " + path);
  std::string digest = "sha256:" + hash.hex();
  if (!checksum.empty() && digest != checksum)
    return make_error(Code::kInvalidArgument, "digest mismatch " + checksum + ": " + digest);
  UrlFile out;
  std::string no_query = url.substr(0, url.find_first_of("?#"));
  size_t host_end = no_query.find('/', no_query.find("://") + 3);
  out.name = host_end == std::string::npos ? "" : base_name(no_query.substr(host_end));
  if (out.name.empty()) out.name = disposition_name(resp.header("content-disposition"));
  out.mtime = parse_http_date(resp.header("last-modified"));
  return out;
}

}  // namespace berth::builder::internal
