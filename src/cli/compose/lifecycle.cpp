// berth compose start|stop|restart|kill|rm|pause|unpause [SERVICE...]: one call per container
// of the named services (all when none), in dependency order (reverse for stop and kill).
#include <algorithm>

#include "base/strings.h"
#include "cli/compose/compose_api.h"
#include "compose/container_spec.h"

namespace berth::cli {

int compose_lifecycle(ComposeCommand& cc, const std::string& verb, const Args& args) {
  Flags flags;
  flags.add_string("timeout", 't', "", "Specify a shutdown timeout in seconds");
  flags.add_string("signal", 's', "SIGKILL", "SIGNAL to send to the container");
  flags.add_bool("force", 'f', "Don't ask to confirm removal");
  flags.add_bool("stop", 's', "Stop the containers, if required, before removing");
  flags.add_bool("volumes", 'v', "Remove any anonymous volumes attached to containers");
  flags.add_bool("remove-orphans", 0,
                 "Remove containers for services not defined in the Compose file");
  int rc =
      parse_flags(flags, "compose " + verb, "compose " + verb + " [OPTIONS] [SERVICE...]", args);
  if (rc >= 0) return rc;
  auto loaded = load_project_containers(cc);
  if (!loaded) return 1;
  std::vector<std::string> order = compose::start_order(loaded->project, flags.args());
  if (verb == "stop" || verb == "kill" || verb == "rm") std::reverse(order.begin(), order.end());
  int timeout = -1;
  if (flags.changed("timeout")) {
    long long t = 0;
    (void)parse_int64(flags.get_string("timeout"), &t);
    timeout = static_cast<int>(t);
  }
  auto progress = plain_progress();
  int status = 0;
  for (const auto& service : order) {
    if (!flags.args().empty() &&
        std::find(flags.args().begin(), flags.args().end(), service) == flags.args().end())
      continue;
    for (const auto& c : loaded->containers) {
      auto it = c.labels.find(compose::kLabelService);
      if (it == c.labels.end() || it->second != service) continue;
      std::string name = compose::summary_name(c);
      Status st;
      if (verb == "start") {
        if (c.state == "running") continue;
        progress("Container", name, "Starting");
        st = loaded->api.start_container(c.id);
        if (st.ok()) progress("Container", name, "Started");
      } else if (verb == "stop") {
        progress("Container", name, "Stopping");
        st = loaded->api.stop_container(c.id, timeout);
        if (st.ok()) progress("Container", name, "Stopped");
      } else if (verb == "restart") {
        progress("Container", name, "Restarting");
        st = loaded->api.restart_container(c.id, timeout);
        if (st.ok()) progress("Container", name, "Started");
      } else if (verb == "kill") {
        if (c.state != "running") continue;
        progress("Container", name, "Killing");
        st = loaded->api.kill_container(c.id, flags.get_string("signal"));
        if (st.ok()) progress("Container", name, "Killed");
      } else if (verb == "pause" || verb == "unpause") {
        st = loaded->api.pause_container(c.id, verb == "pause");
        if (st.ok()) progress("Container", name, verb == "pause" ? "Paused" : "Unpaused");
      } else if (verb == "rm") {
        if (c.state == "running" && !flags.get_bool("stop")) continue;
        if (c.state == "running") {
          progress("Container", name, "Stopping");
          st = loaded->api.stop_container(c.id, timeout);
          if (!st.ok()) break;
          progress("Container", name, "Stopped");
        }
        progress("Container", name, "Removing");
        st = loaded->api.remove_container(c.id, false, flags.get_bool("volumes"));
        if (st.ok()) progress("Container", name, "Removed");
      }
      if (!st.ok()) {
        print_error("Error response from daemon: " + st.error().message);
        status = 1;
      }
    }
  }
  return status;
}

}  // namespace berth::cli
