// The libcurl adapter behind HttpClient.  One easy handle per request; a share handle pools
// connections, DNS and TLS sessions between them, guarded by one mutex per data kind.
#include <curl/curl.h>
#include <unistd.h>

#include <cctype>
#include <mutex>

#include "image/registry/http_client.h"

namespace berth::image::registry {

std::string HttpResponse::header(const std::string& lower_name) const {
  for (auto& [k, v] : headers)
    if (k == lower_name) return v;
  return "";
}

namespace {

constexpr size_t kMaxErrorBody = 1 << 20;

struct Transfer {
  const BodySink* sink;
  HttpResponse* resp;
  CURL* easy;
  bool aborted = false;
  int fd = -1;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    t->resp->headers.clear();  // a new response (after a redirect or 100 Continue)
    size_t sp = line.find(' ');
    if (sp != std::string::npos) t->resp->status = std::atoi(line.c_str() + sp + 1);
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t v = colon + 1;
  while (v < line.size() && line[v] == ' ') ++v;
  t->resp->headers.emplace_back(name, line.substr(v));
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  int status = t->resp->status;
  if (status >= 300 && status < 400) return len;  // a redirect's body
  if (t->sink && *t->sink && status >= 200 && status < 300) {
    if (!(*t->sink)(std::string_view(data, len))) {
      t->aborted = true;
      return 0;
    }
    return len;
  }
  if (t->resp->body.size() < kMaxErrorBody || (status >= 200 && status < 300))
    t->resp->body.append(data, len);
  return len;
}

size_t on_read(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  for (;;) {
    ssize_t r = ::read(t->fd, buf, size * n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return CURL_READFUNC_ABORT;
    return static_cast<size_t>(r);
  }
}

class CurlClient : public HttpClient {
 public:
  CurlClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    share_ = curl_share_init();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlClient::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlClient::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~CurlClient() override { curl_share_cleanup(share_); }

  Result<HttpResponse> send(const HttpRequest& req, const BodySink& sink) override {
    CURL* easy = curl_easy_init();
    if (!easy) return make_error(Code::kInternal, "curl_easy_init failed");
    HttpResponse resp;
    Transfer t{&sink, &resp, easy};
    curl_slist* headers = nullptr;
    for (auto& h : req.headers) headers = curl_slist_append(headers, h.c_str());
    if (req.method == "PUT" || req.method == "POST" || req.method == "PATCH")
      headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(easy, CURLOPT_SHARE, share_);
    curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "berth/0.1 (docker-compatible)");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 15L);
    // A stalled transfer (under 1 byte/s for 60 s) fails instead of hanging the pull.
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 256L * 1024);
    if (!req.tls.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, req.tls.ca_file.c_str());
    if (!req.tls.cert_file.empty())
      curl_easy_setopt(easy, CURLOPT_SSLCERT, req.tls.cert_file.c_str());
    if (!req.tls.key_file.empty()) curl_easy_setopt(easy, CURLOPT_SSLKEY, req.tls.key_file.c_str());
    if (!req.tls.verify) {
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (req.method == "HEAD") {
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (req.upload_fd >= 0) {
      t.fd = req.upload_fd;
      curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt(easy, CURLOPT_READDATA, &t);
      curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.upload_size));
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    } else if (req.method != "GET") {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method.c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(easy);
    long code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    std::string what = req.method + " \"" + req.url + "\"";
    if (t.aborted) return make_error(Code::kCancelled, what + ": transfer aborted");
    if (rc != CURLE_OK) {
      std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      return make_error(Code::kUnavailable, what + ": " + why);
    }
    resp.status = static_cast<int>(code);
    return resp;
  }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<CurlClient*>(user)->mu_[data % kLocks].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<CurlClient*>(user)->mu_[data % kLocks].unlock();
  }
  static constexpr int kLocks = 8;
  CURLSH* share_;
  std::mutex mu_[kLocks];
};

}  // namespace

std::unique_ptr<HttpClient> HttpClient::create() { return std::make_unique<CurlClient>(); }

}  // namespace berth::image::registry
