#include "api/http/message.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "api/http/wire.h"
#include "base/strings.h"

namespace berth::api::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

Result<size_t> raw_read(int fd, char* buf, size_t n) {
  while (true) {
    ssize_t got = ::read(fd, buf, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno == EINTR) continue;
    if (errno == ECONNRESET) return size_t{0};
    return sys_error("read from socket");
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

// ---- Stream ----

Result<std::string> Stream::read_line(size_t max) {
  size_t scanned = pos_;
  while (true) {
    size_t nl = buf_.find('\n', scanned);
    if (nl != std::string::npos) {
      std::string line = buf_.substr(pos_, nl - pos_);
      pos_ = nl + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    scanned = buf_.size();
    if (buf_.size() - pos_ > max) return make_error(Code::kInvalidArgument, "line too long");
    if (pos_ > 0 && pos_ >= buf_.size() / 2) {
      buf_.erase(0, pos_);
      scanned -= pos_;
      pos_ = 0;
    }
    char tmp[16384];
    BERTH_TRY_ASSIGN(size_t got, raw_read(fd_, tmp, sizeof tmp));
    if (got == 0) {
      if (buf_.size() == pos_) return make_error(Code::kUnavailable, "connection closed");
      return make_error(Code::kDataLoss, "connection closed in the middle of a line");
    }
    buf_.append(tmp, got);
  }
}

Result<size_t> Stream::read_some(char* buf, size_t n) {
  if (n == 0) return size_t{0};
  if (pos_ < buf_.size()) {
    size_t take = std::min(n, buf_.size() - pos_);
    std::memcpy(buf, buf_.data() + pos_, take);
    pos_ += take;
    if (pos_ == buf_.size()) {
      buf_.clear();
      pos_ = 0;
    }
    return take;
  }
  return raw_read(fd_, buf, n);
}

Status Stream::read_exact(char* buf, size_t n) {
  while (n > 0) {
    BERTH_TRY_ASSIGN(size_t got, read_some(buf, n));
    if (got == 0) return make_error(Code::kDataLoss, "unexpected end of stream");
    buf += got;
    n -= got;
  }
  return ok_status();
}

std::string Stream::take_buffered() {
  std::string rest = buf_.substr(pos_);
  buf_.clear();
  pos_ = 0;
  return rest;
}

// ---- BodyReader ----

Result<size_t> BodyReader::read_some(char* buf, size_t n) {
  if (done_ || stream_ == nullptr || n == 0) return size_t{0};
  switch (mode_) {
    case Mode::kNone:
      done_ = true;
      return size_t{0};
    case Mode::kUntilEof: {
      BERTH_TRY_ASSIGN(size_t got, stream_->read_some(buf, n));
      if (got == 0) done_ = true;
      return got;
    }
    case Mode::kLength: {
      if (remaining_ == 0) {
        done_ = true;
        return size_t{0};
      }
      BERTH_TRY_ASSIGN(size_t got, stream_->read_some(buf, std::min(n, remaining_)));
      if (got == 0) return make_error(Code::kDataLoss, "body shorter than its Content-Length");
      remaining_ -= got;
      return got;
    }
    case Mode::kChunked: {
      if (remaining_ == 0) {
        BERTH_TRY_ASSIGN(std::string line, stream_->read_line(4096));
        size_t size = 0;
        size_t i = 0;
        for (; i < line.size() && hex_value(line[i]) >= 0; ++i) {
          if (size > (1ull << 40)) return make_error(Code::kInvalidArgument, "chunk too large");
          size = size * 16 + static_cast<size_t>(hex_value(line[i]));
        }
        if (i == 0) return make_error(Code::kInvalidArgument, "bad chunk size line: " + line);
        if (size == 0) {
          while (true) {  // trailers, up to the empty line
            BERTH_TRY_ASSIGN(std::string trailer, stream_->read_line());
            if (trailer.empty()) break;
          }
          done_ = true;
          return size_t{0};
        }
        remaining_ = size;
      }
      BERTH_TRY_ASSIGN(size_t got, stream_->read_some(buf, std::min(n, remaining_)));
      if (got == 0) return make_error(Code::kDataLoss, "connection closed inside a chunk");
      remaining_ -= got;
      if (remaining_ == 0) {
        BERTH_TRY_ASSIGN(std::string crlf, stream_->read_line(16));
        if (!crlf.empty()) return make_error(Code::kInvalidArgument, "chunk not followed by CRLF");
      }
      return got;
    }
  }
  return size_t{0};
}

Result<std::string> BodyReader::read_all(size_t max) {
  std::string out;
  char buf[65536];
  while (true) {
    BERTH_TRY_ASSIGN(size_t got, read_some(buf, sizeof buf));
    if (got == 0) return out;
    if (out.size() + got > max) return make_error(Code::kInvalidArgument, "body too large");
    out.append(buf, got);
  }
}

Status BodyReader::drain() {
  char buf[65536];
  while (true) {
    BERTH_TRY_ASSIGN(size_t got, read_some(buf, sizeof buf));
    if (got == 0) return ok_status();
  }
}

// ---- Headers ----

std::string Headers::get(const std::string& name) const {
  for (const auto& [key, value] : list) {
    if (iequals(key, name)) return value;
  }
  return "";
}

bool Headers::has(const std::string& name) const {
  return std::any_of(list.begin(), list.end(),
                     [&](const auto& kv) { return iequals(kv.first, name); });
}

void Headers::set(const std::string& name, const std::string& value) {
  for (auto& kv : list) {
    if (iequals(kv.first, name)) {
      kv.second = value;
      return;
    }
  }
  list.emplace_back(name, value);
}

// ---- Request ----

std::string Request::query_value(const std::string& key, const std::string& fallback) const {
  for (auto it = query.rbegin(); it != query.rend(); ++it) {
    if (it->first == key) return it->second;
  }
  return fallback;
}

std::vector<std::string> Request::query_values(const std::string& key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : query) {
    if (k == key) out.push_back(v);
  }
  return out;
}

bool Request::has_query(const std::string& key) const {
  return std::any_of(query.begin(), query.end(), [&](const auto& kv) { return kv.first == key; });
}

bool Request::query_bool(const std::string& key, bool fallback) const {
  if (!has_query(key)) return fallback;
  std::string v = to_lower(query_value(key));
  return v == "1" || v == "true";
}

// ---- encoding ----

std::string percent_decode(const std::string& text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& part : split(query, '&')) {
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string::npos) {
      out.emplace_back(percent_decode(part, true), "");
    } else {
      out.emplace_back(percent_decode(part.substr(0, eq), true),
                       percent_decode(part.substr(eq + 1), true));
    }
  }
  return out;
}

std::string status_reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Request Entity Too Large";
    case 415:
      return "Unsupported Media Type";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

// ---- wire ----

Status send_all(int fd, std::string_view data) {
  bool is_socket = true;
  while (!data.empty()) {
    ssize_t n = is_socket ? ::send(fd, data.data(), data.size(), MSG_NOSIGNAL)
                          : ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOTSOCK && is_socket) {
        is_socket = false;
        continue;
      }
      return sys_error("write to socket");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return ok_status();
}

namespace {

Status read_headers(Stream& stream, Headers* headers) {
  for (int count = 0;; ++count) {
    if (count > 500) return make_error(Code::kInvalidArgument, "too many header lines");
    auto line = stream.read_line();
    if (!line.ok()) {
      if (line.error().code == Code::kUnavailable)
        return make_error(Code::kDataLoss, "connection closed inside the message head");
      return std::move(line).error();
    }
    if (line->empty()) return ok_status();
    size_t colon = line->find(':');
    if (colon == std::string::npos || colon == 0)
      return make_error(Code::kInvalidArgument, "malformed header line: " + *line);
    headers->list.emplace_back(line->substr(0, colon), trim(line->substr(colon + 1)));
  }
}

bool has_token(const std::string& value, const std::string& token) {
  for (const std::string& part : split(value, ',')) {
    if (iequals(trim(part), token)) return true;
  }
  return false;
}

}  // namespace

Result<Request> read_request(Stream& stream) {
  std::string line;
  do {  // RFC 9112 2.2: ignore at least one empty line before the request line
    BERTH_TRY_ASSIGN(line, stream.read_line());
  } while (line.empty());
  Request req;
  auto parts = split(line, ' ');
  if (parts.size() != 3 || parts[2].rfind("HTTP/1.", 0) != 0)
    return make_error(Code::kInvalidArgument, "malformed request line: " + line);
  req.method = parts[0];
  req.target = parts[1];
  BERTH_TRY(read_headers(stream, &req.headers));

  std::string target = req.target;
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
    size_t slash = target.find('/', target.find("//") + 2);
    target = slash == std::string::npos ? "/" : target.substr(slash);
  }
  size_t q = target.find('?');
  req.path = percent_decode(target.substr(0, q), false);
  if (q != std::string::npos) req.query = parse_query(target.substr(q + 1));

  if (has_token(req.headers.get("Transfer-Encoding"), "chunked")) {
    req.body = BodyReader(&stream, BodyReader::Mode::kChunked);
  } else if (req.headers.has("Content-Length")) {
    long long length = 0;
    if (!parse_int64(req.headers.get("Content-Length"), &length) || length < 0)
      return make_error(Code::kInvalidArgument, "bad Content-Length");
    req.body = BodyReader(&stream, BodyReader::Mode::kLength, static_cast<size_t>(length));
  } else {
    req.body = BodyReader(&stream, BodyReader::Mode::kNone);
  }
  if (parts[2] == "HTTP/1.0" && !has_token(req.headers.get("Connection"), "keep-alive")) {
    req.headers.set("Connection", "close");
  }
  return req;
}

Result<ResponseHead> read_response_head(Stream& stream) {
  ResponseHead head;
  while (true) {
    BERTH_TRY_ASSIGN(std::string line, stream.read_line());
    // "HTTP/1.1 200 OK"
    if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12)
      return make_error(Code::kInvalidArgument, "malformed status line: " + line);
    long long status = 0;
    if (!parse_int64(line.substr(9, 3), &status))
      return make_error(Code::kInvalidArgument, "malformed status line: " + line);
    head = ResponseHead{};
    head.status = static_cast<int>(status);
    head.reason = line.size() > 13 ? line.substr(13) : "";
    BERTH_TRY(read_headers(stream, &head.headers));
    if (head.status != 100) return head;  // skip "100 Continue"
  }
}

BodyReader::Mode response_body_mode(const std::string& method, const ResponseHead& head,
                                    size_t* length) {
  *length = 0;
  if (method == "HEAD" || (head.status >= 100 && head.status < 200) || head.status == 204 ||
      head.status == 304)
    return BodyReader::Mode::kNone;
  if (has_token(head.headers.get("Transfer-Encoding"), "chunked"))
    return BodyReader::Mode::kChunked;
  if (head.headers.has("Content-Length")) {
    long long n = 0;
    if (parse_int64(head.headers.get("Content-Length"), &n) && n >= 0) {
      *length = static_cast<size_t>(n);
      return BodyReader::Mode::kLength;
    }
  }
  return BodyReader::Mode::kUntilEof;
}

std::string format_request(const std::string& method, const std::string& target,
                           const Headers& headers, std::string_view body, bool send_length) {
  std::string out = method + " " + target + " HTTP/1.1\r\n";
  if (!headers.has("Host")) out += "Host: berth\r\n";
  for (const auto& [k, v] : headers.list) out += k + ": " + v + "\r\n";
  if ((send_length || !body.empty()) && !headers.has("Transfer-Encoding"))
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out.append(body);
  return out;
}

}  // namespace berth::api::http
