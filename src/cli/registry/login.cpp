// berth login [-u USER] [-p PASS | --password-stdin] [SERVER] and berth logout [SERVER]:
// POST /auth checks the credentials, which then go to config.json as Docker stores them.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/registry/registry_auth.h"
#include "model/system_json.h"

namespace berth::cli {

namespace {
std::string read_line_from(int fd, bool echo) {
  termios old{};
  bool restore = false;
  if (!echo && ::isatty(fd) && ::tcgetattr(fd, &old) == 0) {
    termios t = old;
    t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    restore = ::tcsetattr(fd, TCSANOW, &t) == 0;
  }
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
  if (restore) {
    (void)::tcsetattr(fd, TCSANOW, &old);
    (void)write_all(1, "\n");
  }
  while (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}
}  // namespace

int cmd_login(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("username", 'u', "", "Username");
  flags.add_string("password", 'p', "", "Password or Personal Access Token (PAT)");
  flags.add_bool("password-stdin", 0,
                 "Take the Password or Personal Access Token (PAT) from stdin");
  int rc = parse_flags(flags, "login", "login [OPTIONS] [SERVER]", args);
  if (rc >= 0) return rc;
  if (flags.args().size() > 1)
    return flag_error("login", make_error(Code::kInvalidArgument,
                                          "\"berth login\" requires at most 1 argument."));
  std::string server = normalize_server(flags.args().empty() ? "" : flags.args()[0]);
  std::string user = flags.get_string("username"), pass = flags.get_string("password");
  if (flags.changed("password")) {
    print_error("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
    if (flags.get_bool("password-stdin")) {
      print_error("--password and --password-stdin are mutually exclusive");
      return 1;
    }
  }
  if (flags.get_bool("password-stdin")) {
    if (user.empty()) {
      print_error("Must provide --username with --password-stdin");
      return 1;
    }
    auto all = read_all(0);
    pass = all.value_or("");
    while (!pass.empty() && (pass.back() == '\n' || pass.back() == '\r')) pass.pop_back();
  }
  if (user.empty()) {
    (void)write_all(1, "Username: ");
    user = read_line_from(0, true);
  }
  if (pass.empty()) {
    (void)write_all(1, "Password: ");
    pass = read_line_from(0, false);
  }
  if (user.empty()) {
    print_error("Error: Non-null Username Required");
    return 1;
  }
  if (!ctx.connect().ok()) return 1;
  model::AuthConfig request;
  request.username = user;
  request.password = pass;
  request.serveraddress = server;
  auto resp = ctx.call("POST", "/auth", model::dump(request));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto reply = decode_body<model::AuthResponse>(resp->body, "login response");
  if (!reply.ok()) return 1;
  auto cfg = read_config();
  if (!cfg) {
    print_error(cfg.error().message);
    return 1;
  }
  // As docker stores them: an identity token from the registry replaces the password.
  model::AuthConfig stored;
  stored.auth = base64_encode(user + ":" + (reply->identity_token.empty() ? pass : ""));
  stored.identitytoken = reply->identity_token;
  set_stored_auth(*cfg, server, stored);
  if (auto st = write_config(*cfg); !st) {
    print_error("Error saving credentials: " + st.error().message);
    return 1;
  }
  print_error("WARNING! Your credentials are stored unencrypted in '" + config_path() + "'.");
  (void)write_all(1,
                  (reply->status.empty() ? std::string("Login Succeeded") : reply->status) + "\n");
  return 0;
}

int cmd_logout(Context&, const Args& args) {
  Flags flags;
  int rc = parse_flags(flags, "logout", "logout [SERVER]", args);
  if (rc >= 0) return rc;
  std::string server = normalize_server(flags.args().empty() ? "" : flags.args()[0]);
  auto cfg = read_config();
  if (!cfg || !erase_stored_auth(*cfg, server)) {
    (void)write_all(1, "Not logged in to " + server + "\n");
    return 0;
  }
  (void)write_all(1, "Removing login credentials for " + server + "\n");
  if (auto st = write_config(*cfg); !st) {
    print_error(st.error().message);
    return 1;
  }
  return 0;
}

}  // namespace berth::cli
