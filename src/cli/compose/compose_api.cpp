#include "cli/compose/compose_api.h"

#include <unistd.h>

#include <mutex>

#include "base/file.h"
#include "compose/node.h"

namespace berth::cli {

std::optional<compose::EngineApi> compose_api(ComposeCommand& cc) {
  if (!cc.ctx.connect().ok()) return std::nullopt;
  return compose::EngineApi(cc.ctx.client);
}

std::optional<ProjectContainers> load_project_containers(ComposeCommand& cc) {
  auto project = cc.project();
  if (!project.ok()) return std::nullopt;
  auto api = compose_api(cc);
  if (!api) return std::nullopt;
  auto list = compose::project_containers(*api, project->name);
  if (!list.ok()) {
    print_error(list.error().message);
    return std::nullopt;
  }
  return ProjectContainers{std::move(*project), std::move(*api), std::move(*list)};
}

compose::ProgressFn plain_progress() {
  return [](const std::string& kind, const std::string& name, const std::string& status) {
    (void)write_all(2, " " + kind + " " + name + "  " + status + "\n");
  };
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) print_error("WARN[0000] " + w);
}

compose::BuildFn service_builder(ComposeCommand& cc, const compose::Project& project) {
  auto mu = std::make_shared<std::mutex>();
  return [&cc, &project, mu](const std::string& service, const std::string& image) -> Status {
    std::lock_guard lock(*mu);
    const compose::Node& build = *project.services().find(service)->find("build");
    Args args{"-t", image};
    std::string inline_file;
    if (build.has("dockerfile_inline")) {
      char tmpl[] = "/tmp/berth-compose-dockerfile-XXXXXX";
      int fd = ::mkstemp(tmpl);
      if (fd < 0) return sys_error("create temp file");
      (void)write_all(fd, build.str("dockerfile_inline"));
      ::close(fd);
      inline_file = tmpl;
      args.insert(args.end(), {"-f", inline_file});
    } else if (build.has("dockerfile")) {
      std::string df = build.str("dockerfile");
      if (df[0] != '/') df = build.str("context") + "/" + df;
      args.insert(args.end(), {"-f", df});
    }
    if (build.has("target")) args.insert(args.end(), {"--target", build.str("target")});
    if (const compose::Node* a = build.find("args")) {
      for (const auto& [k, v] : a->entries())
        args.insert(args.end(), {"--build-arg", v.is_null() ? k : k + "=" + v.scalar_text()});
    }
    if (const compose::Node* l = build.find("labels")) {
      for (const auto& [k, v] : l->entries())
        args.insert(args.end(), {"--label", k + "=" + v.scalar_text()});
    }
    args.push_back(build.str("context"));
    (void)write_all(2, " Service " + service + "  Building\n");
    int rc = cmd_build(cc.ctx, args);
    if (!inline_file.empty()) ::unlink(inline_file.c_str());
    if (rc != 0)
      return make_error(Code::kInternal, "failed to build the image of service " + service);
    (void)write_all(2, " Service " + service + "  Built\n");
    return ok_status();
  };
}

}  // namespace berth::cli
