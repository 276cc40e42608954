// What every berth command shares: the daemon's address, the Engine API client with the
// negotiated version prefix, starting the embedded daemon when the default socket is silent,
// and docker's way of printing errors.
#pragma once

#include <string>
#include <vector>

#include "api/client/client.h"
#include "base/json.h"
#include "cli/flags/flags.h"
#include "model/json.h"

namespace berth::cli {

inline constexpr const char* kDefaultHost = "unix:///run/berth/berth.sock";
inline constexpr const char* kClientApiVersion = "1.50";
inline constexpr const char* kClientVersion = "0.1.0";

struct Context {
  std::string host = kDefaultHost;
  bool host_given = false;  // -H or BERTH_HOST: never start a daemon then
  api::Client client{kDefaultHost};
  std::string api_version;  // negotiated, "1.50"
  bool connected = false;

  // Pings the daemon (starting it when allowed) and sets the version prefix.  Prints docker's
  // "Cannot connect..." on failure.
  Status connect();

  // Requests with the version prefix; a transport failure is printed and returned.
  Result<api::ClientResponse> call(const std::string& method, const std::string& path,
                                   const std::string& body = "");
};

// "Error response from daemon: <message>" on stderr.
void print_daemon_error(const api::ClientResponse& resp);
void print_daemon_error(int status, const std::string& body);
void print_error(const std::string& message);
// Flag errors the way docker prints them; returns 125.
int flag_error(const std::string& command, const Error& error);
// Parses flags for `command`; returns -1 when the command should go on, else an exit code
// (0 after --help, 125 after a bad flag).
int parse_flags(Flags& flags, const std::string& command, const std::string& usage,
                const std::vector<std::string>& args, bool interspersed = true);
// Parses a JSON body, or prints the parse error.
Result<Json> parse_body(const std::string& body, const std::string& what);
// Parses a JSON body and decodes it into the model type T (include its "model/<area>_json.h"),
// or prints the error as parse_body does.
template <class T>
Result<T> decode_body(const std::string& body, const std::string& what) {
  BERTH_TRY_ASSIGN(Json j, parse_body(body, what));
  auto v = model::from_json<T>(j);
  if (!v.ok()) print_error("error reading " + what + ": " + v.error().message);
  return v;
}
// Adds "busybox" -> "busybox:latest" as docker does in messages.
std::string with_default_tag(const std::string& image);
bool is_success(int status);

}  // namespace berth::cli
