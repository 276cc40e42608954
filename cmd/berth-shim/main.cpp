// berth-shim: the per-container monitor.  See src/shim/shim.h and src/shim/shim_client.h.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "shim/shim.h"

int main(int argc, char** argv) {
  berth::shim::ShimConfig c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--id")
      c.id = value();
    else if (a == "--bundle")
      c.bundle = value();
    else if (a == "--state-dir")
      c.state_dir = value();
    else if (a == "--runtime-root")
      c.runtime_root = value();
    else if (a == "--log-path")
      c.log_path = value();
    else if (a == "--log-driver")
      c.log_driver = value();
    else if (a == "--log-max-size")
      c.log_max_size = atoll(value().c_str());
    else if (a == "--log-max-file")
      c.log_max_files = atoi(value().c_str());
    else if (a == "--log-attr" && i + 2 < argc) {
      std::string key = value();
      c.log_attrs.emplace_back(key, value());
    } else if (a == "--cgroup-root")
      c.cgroup_root = value();
    else if (a == "--ready-fd")
      c.ready_fd = atoi(value().c_str());
    else if (a == "--tty")
      c.tty = true;
    else if (a == "--open-stdin")
      c.open_stdin = true;
    else if (a == "--stdin-once")
      c.stdin_once = true;
    else if (a == "--foreground")
      c.foreground = true;
    else {
      fprintf(stderr, "berth-shim: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (c.id.empty() || c.bundle.empty() || c.state_dir.empty() || c.runtime_root.empty()) {
    fprintf(
        stderr,
        "usage: berth-shim --id ID --bundle DIR --state-dir DIR --runtime-root DIR [--log-path "
        "FILE]\n"
        "                  [--log-driver json-file|local|none] [--log-max-size BYTES] "
        "[--log-max-file N]\n"
        "                  [--log-attr KEY VALUE]...\n"
        "                  [--tty] [--open-stdin] [--stdin-once] [--ready-fd N] [--foreground]\n");
    return 2;
  }
  return berth::shim::shim_main(c);
}
