#include "api/server/router.h"

#include "base/json.h"
#include "base/log.h"
#include "base/strings.h"

namespace berth::api::server {

int http_status(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kNotFound:
      return 404;
    case Code::kInvalidArgument:
      return 400;
    case Code::kAlreadyExists:
    case Code::kConflict:
      return 409;
    case Code::kUnauthorized:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotModified:
      return 304;
    case Code::kNotImplemented:
      return 501;
    case Code::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

Status send_json(http::ResponseWriter& writer, int status, const std::string& json) {
  return writer.send(status, json, "application/json");
}

Status send_error(http::ResponseWriter& writer, const Error& error) {
  int status = http_status(error.code);
  if (status == 304) return writer.send(304, "", "");
  if (writer.responded()) return ok_status();  // mid-stream: nothing more can be said
  return send_json(writer, status, dump_json(Json{{"message", error.message}}) + "\n");
}

std::string strip_version(const std::string& path, std::string* version) {
  if (version) version->clear();
  if (path.size() > 2 && path[0] == '/' && path[1] == 'v' &&
      isdigit(static_cast<unsigned char>(path[2]))) {
    size_t slash = path.find('/', 1);
    if (version)
      *version = path.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
    return slash == std::string::npos ? "/" : path.substr(slash);
  }
  return path;
}

void Router::add(const std::string& method, const std::string& pattern, RouteHandler handler) {
  Route r;
  r.method = method;
  for (auto& p : split(pattern, '/'))
    if (!p.empty()) r.parts.push_back(p);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

void Router::handle(http::Request& request, http::ResponseWriter& writer) const {
  std::string path = strip_version(request.path, nullptr);
  std::vector<std::string> parts;
  for (auto& p : split(path, '/'))
    if (!p.empty()) parts.push_back(p);
  // Image names contain slashes ("/images/host:5000/a/b/json"): a {name*} part swallows them.
  bool path_matched = false;
  for (const Route& r : routes_) {
    Params params;
    bool match = true;
    size_t i = 0, j = 0;
    for (; i < r.parts.size() && match; ++i) {
      const std::string& part = r.parts[i];
      if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
        std::string key = part.substr(1, part.size() - 2);
        if (!key.empty() && key.back() == '*') {
          size_t rest = r.parts.size() - i - 1;  // fixed parts after the glob
          if (parts.size() < j + 1 + rest) {
            match = false;
            break;
          }
          std::vector<std::string> taken(parts.begin() + static_cast<long>(j),
                                         parts.end() - static_cast<long>(rest));
          params[key.substr(0, key.size() - 1)] = join(taken, "/");
          j = parts.size() - rest;
          continue;
        }
        if (j >= parts.size()) {
          match = false;
          break;
        }
        params[key] = parts[j++];
      } else {
        if (j >= parts.size() || parts[j] != part) {
          match = false;
          break;
        }
        ++j;
      }
    }
    if (!match || j != parts.size()) continue;
    path_matched = true;
    if (r.method != request.method && !(request.method == "HEAD" && r.method == "GET")) continue;
    Status st = r.handler(request, writer, params);
    if (!st) {
      if (st.error().code != Code::kNotModified && st.error().code != Code::kNotFound)
        log_info(request.method + " " + request.target + ": " + st.error().message);
      (void)send_error(writer, st.error());
    } else if (!writer.responded()) {
      (void)writer.send(204, "", "");
    }
    return;
  }
  (void)send_error(writer, make_error(path_matched ? Code::kInvalidArgument : Code::kNotFound,
                                      path_matched ? "method not allowed" : "page not found"));
}

}  // namespace berth::api::server
