// `berth` as the docker CLI's compose plugin: installed (or symlinked) as
// ~/.docker/cli-plugins/docker-compose.  The docker CLI first runs it with
// `docker-cli-plugin-metadata` and reads the JSON it prints; `docker [GLOBAL FLAGS] compose ARGS`
// then runs it as `docker-compose [GLOBAL FLAGS] compose ARGS` (docker 28 passes os.Args[1:] and
// sets DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND, DOCKER_CLI_PLUGIN_SOCKET, but not DOCKER_HOST).
// The daemon is the docker CLI's: -H from those flags, else DOCKER_HOST, else docker's default.
#include <cstdlib>

#include "base/file.h"
#include "cli/compose/compose_command.h"
#include "compose/container_spec.h"

namespace berth::cli {

namespace {

constexpr const char* kDockerDefaultHost = "unix:///var/run/docker.sock";

// The docker CLI's global flags that take a value.
bool takes_value(const std::string& flag) {
  return flag == "-H" || flag == "--host" || flag == "-c" || flag == "--context" ||
         flag == "--config" || flag == "-l" || flag == "--log-level" || flag == "--tlscacert" ||
         flag == "--tlscert" || flag == "--tlskey";
}

}  // namespace

std::string compose_version() {
  return std::string("v") + compose::kComposeVersion + "+berth." + kClientVersion;
}

bool is_compose_plugin_invocation(int argc, char** argv) {
  std::string argv0 = argc > 0 ? argv[0] : "";
  std::string base = argv0.substr(argv0.rfind('/') + 1);
  return base == "docker-compose" ||
         (argc > 1 && std::string(argv[1]) == "docker-cli-plugin-metadata");
}

int run_compose_plugin(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "docker-cli-plugin-metadata") {
    (void)write_all(1, "{\"SchemaVersion\":\"0.1.0\",\"Vendor\":\"Berth\",\"Version\":\"" +
                           compose_version() +
                           "\",\"ShortDescription\":\"Docker Compose\","
                           "\"URL\":\"https://github.com/berth/berth\"}\n");
    return 0;
  }
  Context ctx;
  ctx.host = kDockerDefaultHost;
  if (const char* env = std::getenv("DOCKER_HOST"); env != nullptr && *env != '\0') ctx.host = env;
  ctx.host_given = true;  // never start an embedded daemon behind the docker CLI's back
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string arg = argv[i];
    if (arg == "-H" || arg == "--host") {
      if (i + 1 < argc) ctx.host = argv[++i];
    } else if (arg.rfind("--host=", 0) == 0 || arg.rfind("-H=", 0) == 0) {
      ctx.host = arg.substr(arg.find('=') + 1);
    } else if (takes_value(arg)) {
      ++i;
    }  // other boolean globals (-D, --tls, --tlsverify) change nothing here
  }
  // As a plugin the first argument is the plugin's name; run standalone (`docker-compose up`)
  // there is none.
  if (i < argc && std::string(argv[i]) == "compose") ++i;
  ctx.client = api::Client(ctx.host);
  return cmd_compose(ctx, Args(argv + i, argv + argc));
}

}  // namespace berth::cli
