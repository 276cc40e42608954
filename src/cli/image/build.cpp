// berth build [OPTIONS] PATH | - : tars the context (minus .dockerignore), POST /build with
// Docker's query parameters, prints the daemon's step stream; `berth builder prune`.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/file.h"
#include "base/random_id.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/flags/usage.h"
#include "cli/image/build_context.h"
#include "cli/progress/json_stream.h"
#include "cli/tar/tar.h"
#include "model/build_json.h"
#include "model/container_json.h"
#include "model/image_json.h"

namespace berth::cli {
namespace {

std::string real_path(const std::string& p) {
  char buf[PATH_MAX];
  return ::realpath(p.c_str(), buf) ? std::string(buf) : p;
}

bool looks_like_tar(const std::string& head) {
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
      static_cast<unsigned char>(head[1]) == 0x8b)
    return true;
  return head.size() >= 262 && head.compare(257, 5, "ustar") == 0;
}

// A context tar that is not plain ustar (gzip, ...): entries cannot be put in front of it.
bool head_is_compressed(const std::string& head) {
  return !(head.size() >= 262 && head.compare(257, 5, "ustar") == 0);
}

// --output type=local,dest=DIR | type=tar,dest=FILE | DIR: the image's filesystem, through a
// created (never started) container's export.
int export_output(Context& ctx, const std::string& spec, const std::string& image_id) {
  std::string type = "local", dest;
  if (spec.find('=') == std::string::npos) {
    dest = spec;
  } else {
    for (auto& part : split(spec, ',')) {
      size_t eq = part.find('=');
      std::string k = part.substr(0, eq), v = eq == std::string::npos ? "" : part.substr(eq + 1);
      if (k == "type") type = v;
      if (k == "dest") dest = v;
    }
  }
  if (dest.empty() || (type != "local" && type != "tar")) {
    print_error("invalid --output " + spec + ": want type=local|tar,dest=PATH");
    return 1;
  }
  model::ContainerCreateRequest body;
  body.image = image_id;
  body.cmd = {"true"};
  auto created = ctx.call("POST", "/containers/create", model::dump(body));
  if (!created.ok() || !is_success(created->status)) {
    if (created.ok()) print_daemon_error(*created);
    return 1;
  }
  auto reply = decode_body<model::ContainerCreateResponse>(created->body, "create response");
  if (!reply.ok()) return 1;
  const std::string& id = reply->id;
  int rc = 0;
  auto resp = ctx.client.stream("GET", "/containers/" + id + "/export");
  if (!resp.ok() || !is_success(resp->status)) {
    print_error("export " + image_id + " failed");
    rc = 1;
  } else if (type == "tar") {
    UniqueFd out(dest == "-"
                     ? ::dup(1)
                     : ::open(dest.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    char buf[65536];
    while (out.get() >= 0) {
      auto n = resp->read_some(buf, sizeof buf);
      if (!n.ok() || *n == 0) break;
      if (!write_all(out.get(), std::string_view(buf, *n)).ok()) break;
    }
    if (out.get() < 0) rc = 1;
  } else {
    (void)make_dirs(dest);
    auto r = extract_tar([&](char* b, size_t n) { return resp->read_some(b, n); }, dest, "", "");
    if (!r.ok()) {
      print_error(r.error().message);
      rc = 1;
    }
  }
  (void)ctx.call("DELETE", "/containers/" + id + "?force=1", "");
  return rc;
}

// On a terminal: each step line with the time since the build began, cached steps marked
// CACHED, RUN output as it comes, the total at the end; elsewhere the daemon's lines as they
// come (what `docker build` prints).
int print_build_stream(api::StreamingResponse& resp, std::string* aux_id) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  auto elapsed = [&] {
    char t[32];
    std::snprintf(t, sizeof t, "[%5.1fs] ",
                  std::chrono::duration<double>(Clock::now() - start).count());
    return std::string(t);
  };
  int exit_code = 0;
  while (true) {
    auto line = resp.read_line();
    if (!line.ok()) break;
    auto m = parse_json_message(*line);
    if (!m.ok()) continue;
    if (has_error(*m)) {
      print_error(error_text(*m));
      exit_code = 1;
      continue;
    }
    if (!m->aux.empty()) {
      auto result = model::parse<model::BuildResult>(m->aux.text(), "aux");
      if (result.ok()) {
        if (aux_id) *aux_id = result->id;
        continue;
      }
    }
    const std::string& text = m->stream;
    if (text.compare(0, 5, "Step ") == 0) {
      (void)write_all(1, elapsed() + "\033[1m" + text.substr(0, text.size() - 1) + "\033[0m\n");
    } else if (text.compare(0, 17, " ---> Using cache") == 0) {
      (void)write_all(1, "          CACHED\n");
    } else if (text.compare(0, 6, " ---> ") == 0) {
      continue;
    } else if (text.compare(0, 19, "Successfully built ") == 0) {
      (void)write_all(1, elapsed() + text);
    } else {
      (void)write_all(1, text);
    }
  }
  return exit_code;
}

}  // namespace

int cmd_build(Context& ctx, const Args& args) {
  const char* usage = "build [OPTIONS] PATH | URL | -";
  Flags flags;
  flags.add_string("file", 'f', "", "Name of the Dockerfile (Default is 'PATH/Dockerfile')");
  flags.add_list("tag", 't', "Name and optionally a tag in the \"name:tag\" format");
  flags.add_list("build-arg", 0, "Set build-time variables");
  flags.add_list("label", 0, "Set metadata for an image");
  flags.add_list("cache-from", 0, "Images to consider as cache sources");
  flags.add_list("secret", 0,
                 "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")");
  flags.add_string("target", 0, "", "Set the target build stage to build.");
  flags.add_bool("no-cache", 0, "Do not use cache when building the image");
  flags.add_bool("pull", 0, "Always attempt to pull a newer version of the image");
  flags.add_bool("squash", 0, "Squash newly built layers into a single new layer");
  flags.add_bool("quiet", 'q', "Suppress the build output and print image ID on success");
  flags.add_string("iidfile", 0, "", "Write the image ID to the file");
  flags.add_string("network", 0, "", "Set the networking mode for the RUN instructions");
  flags.add_string("platform", 0, "", "Set platform if server is multi-platform capable");
  flags.add_string("progress", 0, "auto", "Set type of progress output");
  flags.add_string("output", 'o', "", "Output destination (format: \"type=local,dest=path\")");
  flags.add_bool("rm", 0, "Remove intermediate containers after a successful build");
  flags.add_bool("force-rm", 0, "Always remove intermediate containers");
  int rc = parse_flags(flags, "build", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1) return args_error("build", usage, "requires 1 argument");
  std::string path = flags.args()[0];
  std::string file = flags.get_string("file");

  // The tar goes to an unlinked temp file, then up as the request body.
  char tmpl[] = "/tmp/berth-build-XXXXXX";
  int tfd = ::mkstemp(tmpl);
  if (tfd < 0) {
    print_error(sys_error("create temp file").message);
    return 1;
  }
  UniqueFd tar(tfd);
  ::unlink(tmpl);
  // Secrets go first in the tar, so a context tar from stdin can follow them unchanged.
  for (auto& spec : flags.get_list("secret")) {
    auto secret = read_build_secret(spec);
    if (!secret) {
      print_error("could not parse secrets: " + secret.error().message);
      return 1;
    }
    struct stat sb {};
    sb.st_mode = S_IFREG | 0600;
    auto st =
        TarWriter(tar.get()).add(secret_entry_name(secret->first), sb, "", "", &secret->second);
    if (!st) {
      print_error(st.error().message);
      return 1;
    }
  }
  std::string dockerfile_param = "Dockerfile";
  if (path == "-") {
    auto in = read_all(0);
    if (!in.ok()) {
      print_error(in.error().message);
      return 1;
    }
    if (looks_like_tar(*in)) {
      if (!flags.get_list("secret").empty() && head_is_compressed(*in)) {
        print_error("--secret needs an uncompressed context tar on stdin");
        return 1;
      }
      (void)write_all(tar.get(), *in);
      if (!file.empty()) dockerfile_param = file;
    } else {
      // A Dockerfile on stdin, no context.
      TarWriter tw(tar.get());
      struct stat st {};
      st.st_mode = S_IFREG | 0644;
      (void)tw.add("Dockerfile", st, "", "", &*in);
      (void)tw.finish();
    }
  } else {
    if (!is_directory(path)) {
      print_error("unable to prepare context: path \"" + path + "\" not found");
      return 1;
    }
    std::string root = real_path(path);
    std::string df_text;
    bool df_outside = false;
    std::string df_rel = "Dockerfile";
    if (file == "-") {
      auto in = read_all(0);
      if (!in.ok()) return 1;
      df_text = *in;
      df_outside = true;
    } else if (!file.empty()) {
      std::string abs = real_path(file);
      if (!path_exists(abs)) {
        print_error(
            "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat " +
            abs + ": no such file or directory");
        return 1;
      }
      if (abs.compare(0, root.size() + 1, root + "/") == 0) {
        df_rel = abs.substr(root.size() + 1);
      } else {
        auto t = read_file(abs);
        if (!t.ok()) {
          print_error(t.error().message);
          return 1;
        }
        df_text = *t;
        df_outside = true;
      }
    }
    auto ignore_text = read_file(root + "/.dockerignore");
    auto ignore = IgnoreMatcher::parse(ignore_text.ok() ? *ignore_text : "");
    if (!ignore.ok()) {
      print_error(ignore.error().message);
      return 1;
    }
    Status st = write_context_tar(tar.get(), root, *ignore, {df_rel, ".dockerignore"});
    if (st.ok() && df_outside) {
      df_rel = ".dockerfile." + random_hex_id().substr(0, 20);
      struct stat sb {};
      sb.st_mode = S_IFREG | 0644;
      st = TarWriter(tar.get()).add(df_rel, sb, "", "", &df_text);
    }
    if (st.ok()) st = TarWriter(tar.get()).finish();
    if (!st) {
      print_error("error checking context: " + st.error().message);
      return 1;
    }
    dockerfile_param = df_rel;
  }
  ::lseek(tar.get(), 0, SEEK_SET);

  using api::http::percent_encode;
  std::string target = "/build?dockerfile=" + percent_encode(dockerfile_param) + "&rm=1";
  for (auto& t : flags.get_list("tag")) target += "&t=" + percent_encode(t);
  model::Map<std::optional<std::string>> build_args;  // Go's map[string]*string
  for (auto& a : flags.get_list("build-arg")) {
    size_t eq = a.find('=');
    if (eq != std::string::npos) {
      build_args[a.substr(0, eq)] = a.substr(eq + 1);
    } else if (const char* v = std::getenv(a.c_str())) {
      build_args[a] = v;
    } else {
      build_args[a] = std::nullopt;
    }
  }
  if (!build_args.empty()) target += "&buildargs=" + percent_encode(model::dump(build_args));
  model::Map<std::string> labels;
  for (auto& l : flags.get_list("label")) {
    size_t eq = l.find('=');
    labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  if (!labels.empty()) target += "&labels=" + percent_encode(model::dump(labels));
  if (!flags.get_list("cache-from").empty()) {
    model::List<std::string> cache_from = flags.get_list("cache-from");
    target += "&cachefrom=" + percent_encode(model::dump(cache_from));
  }
  if (!flags.get_string("target").empty())
    target += "&target=" + percent_encode(flags.get_string("target"));
  if (flags.get_bool("no-cache")) target += "&nocache=1";
  if (flags.get_bool("pull")) target += "&pull=1";
  if (flags.get_bool("squash")) target += "&squash=1";
  if (flags.get_bool("quiet")) target += "&q=1";
  if (!flags.get_list("secret").empty()) target += "&secrets=1";
  if (!flags.get_string("network").empty())
    target += "&networkmode=" + percent_encode(flags.get_string("network"));
  if (!flags.get_string("platform").empty())
    target += "&platform=" + percent_encode(flags.get_string("platform"));

  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.client.stream_upload("POST", target, tar.get(), "application/x-tar");
  if (!resp.ok()) {
    print_error("error during connect: " + resp.error().message);
    return 1;
  }
  if (!is_success(resp->status)) {
    auto body = resp->read_all();
    print_daemon_error(resp->status, body.value_or(""));
    return 1;
  }
  std::string id;
  bool fancy = ::isatty(1) && !flags.get_bool("quiet") && flags.get_string("progress") != "plain";
  rc = fancy ? print_build_stream(*resp, &id) : print_json_stream(*resp, &id);
  if (rc != 0) return rc;
  if (!flags.get_string("output").empty() && !id.empty()) {
    rc = export_output(ctx, flags.get_string("output"), id);
    if (rc != 0) return rc;
  }
  if (!flags.get_string("iidfile").empty() && !id.empty()) {
    auto st = write_file(flags.get_string("iidfile"), id);
    if (!st) {
      print_error(st.error().message);
      return 1;
    }
  }
  return 0;
}

// berth builder prune [-f] [-a]: POST /build/prune.
int cmd_builder(Context& ctx, const Args& args) {
  if (args.empty() || args[0] != "prune") {
    print_error("\nUsage:  berth builder prune [OPTIONS]");
    return 1;
  }
  Flags flags;
  flags.add_bool("force", 'f', "Do not prompt for confirmation");
  flags.add_bool("all", 'a', "Remove all unused build cache, not just dangling ones");
  int rc = parse_flags(flags, "builder prune", "builder prune [OPTIONS]",
                       Args(args.begin() + 1, args.end()));
  if (rc >= 0) return rc;
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("POST", "/build/prune", "");
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto pruned = decode_body<model::BuildCachePruneResponse>(resp->body, "prune response");
  if (!pruned.ok()) return 1;
  uint64_t bytes = pruned->space_reclaimed;
  (void)write_all(1, "Total:\t" + std::to_string(bytes) + "B\n");
  return 0;
}

}  // namespace berth::cli
