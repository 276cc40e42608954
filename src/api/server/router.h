// Maps Engine API requests to handlers: strips the "/v1.NN" version prefix, matches
// "/containers/{id}/start"-style patterns, and turns a handler's Error into Docker's JSON error
// reply with the status the error's code maps to.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/http/server.h"
#include "base/error.h"

namespace berth::api::server {

using Params = std::map<std::string, std::string>;
// A handler either answers through the writer and returns ok, or returns an Error that the
// router answers with.
using RouteHandler = std::function<Status(http::Request&, http::ResponseWriter&, const Params&)>;

class Router {
 public:
  void add(const std::string& method, const std::string& pattern, RouteHandler handler);
  void handle(http::Request& request, http::ResponseWriter& writer) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> parts;
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

// The one table from error codes to HTTP status.
int http_status(Code code);
Status send_error(http::ResponseWriter& writer, const Error& error);
Status send_json(http::ResponseWriter& writer, int status, const std::string& json);
// "/v1.50/containers/json" -> "/containers/json"; *version gets "1.50" ("" when absent).
std::string strip_version(const std::string& path, std::string* version);

}  // namespace berth::api::server
