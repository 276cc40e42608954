// /images/...: list, inspect, tag, load, save (get), and Berth's bootstrap of a base image.
#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <climits>
#include <set>
#include <thread>

#include "api/server/image_registry_routes.h"
#include "api/server/routes.h"
#include "base/file.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/time.h"
#include "engine/filters.h"
#include "model/build_json.h"
#include "model/image_file_json.h"
#include "model/image_json.h"

namespace berth::api::server {

namespace {
using engine::Engine;

Error no_such_image(const std::string& ref) {
  return make_error(Code::kNotFound, "No such image: " + ref);
}

Result<image::Image> find_image(Engine& engine, const std::string& ref) {
  auto img = engine.images().get(ref);
  if (!img && img.error().code == Code::kNotFound) return no_such_image(ref);
  return img;
}

int64_t created_secs(const image::Image& img) {
  int64_t t = 0;
  parse_rfc3339(img.created, &t);
  return t / 1000000000LL;
}

model::ImageSummary image_summary(const image::Image& img) {
  model::ImageSummary s;
  s.id = img.id;
  s.parent_id = img.parent;
  s.repo_tags = img.repo_tags;
  s.repo_digests = img.repo_digests;
  s.created = created_secs(img);
  s.size = img.size;
  s.shared_size = -1;
  if (!img.config.labels.empty()) s.labels = img.config.labels;  // else null, as dockerd
  s.containers = -1;
  return s;
}

model::ImageInspect image_inspect(const image::Image& img) {
  model::ImageInspect out;
  out.id = img.id;
  out.repo_tags = img.repo_tags;
  out.repo_digests = img.repo_digests;
  out.parent = img.parent;
  out.config.emplace();
  if (auto file = model::parse<model::ImageConfigFile>(img.config_json, "image config"); file) {
    out.comment = file->comment;
    out.docker_version = file->docker_version;
    out.author = file->author;
    if (file->config) out.config = std::move(file->config);
  }
  out.created = img.created;
  out.architecture = img.architecture;
  out.os = img.os;
  out.size = img.size;
  out.graph_driver.name = "overlay2";
  out.root_fs.type = "layers";
  out.root_fs.layers = img.diff_ids;
  out.metadata.last_tag_time = kZeroTime;
  return out;
}

// A streamed reply of Docker's JSON messages ({"stream": ...}, {"status": ...}, {"error": ...}).
class MessageStream {
 public:
  explicit MessageStream(http::ResponseWriter& w) : w_(w) {}
  Status begin() { return w_.begin_stream(200, "application/json"); }
  void send(const model::JSONMessage& m) { (void)w_.write(model::dump(m) + "\r\n"); }
  void status(const std::string& text) {
    model::JSONMessage m;
    m.status = text;
    send(m);
  }
  Status fail(const Error& e) {
    model::JSONMessage m;
    m.error_detail.emplace().message = e.message;
    m.error = e.message;
    send(m);
    return w_.end();
  }

 private:
  http::ResponseWriter& w_;
};

Status load(Engine& engine, http::Request& request, http::ResponseWriter& w) {
  bool quiet = request.query_bool("quiet");
  // The archive streams through a pipe into the store's reader on another thread, so a large
  // upload is never held in memory.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe");
  UniqueFd rd(fds[0]), wr(fds[1]);
  std::vector<std::string> progress_lines;
  Result<std::vector<std::string>> result = make_error(Code::kInternal, "load did not run");
  std::thread reader([&] {
    result = engine.load_images(rd.get(), [&](const std::string& line) {
      if (!quiet) progress_lines.push_back(line);
    });
    rd.reset();  // a failed load stops the copy below with EPIPE
  });
  char buf[65536];
  while (true) {
    auto n = request.body.read_some(buf, sizeof buf);
    if (!n || *n == 0) break;
    if (!write_all(wr.get(), std::string_view(buf, *n))) break;
  }
  wr.reset();
  reader.join();
  (void)request.body.drain();
  MessageStream out(w);
  BERTH_TRY(out.begin());
  if (!result) return out.fail(result.error());
  for (auto& line : result.value()) {
    model::JSONMessage m;
    m.stream = line + "\n";
    out.send(m);
  }
  return w.end();
}

Status save(Engine& engine, const std::vector<std::string>& names, http::ResponseWriter& w) {
  if (names.empty()) return make_error(Code::kInvalidArgument, "no images specified");
  for (auto& n : names) BERTH_TRY(find_image(engine, n));
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe");
  UniqueFd rd(fds[0]), wr(fds[1]);
  Status saved;
  std::thread writer([&] {
    saved = engine.save_images(names, wr.get());
    wr.reset();
  });
  Status st = w.begin_stream(200, "application/x-tar");
  char buf[65536];
  while (st) {
    ssize_t n = ::read(rd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    st = w.write(std::string_view(buf, static_cast<size_t>(n)));
  }
  rd.reset();
  writer.join();
  if (!saved) return Status(saved.error());  // mid-stream: the connection just ends
  return w.end();
}

// GET /images/json filters: dangling, label, reference (glob on name and name:tag),
// before/since (an image, compared by creation time).  Untagged images that are another
// image's parent (a build's intermediate steps) are listed only with `all`, as dockerd does;
// dangling means untagged and not such a parent.
Result<std::vector<image::Image>> filter_images(Engine& engine, std::vector<image::Image> images,
                                                const std::string& filters_text, bool all) {
  std::set<std::string> parents;
  for (auto& img : images)
    if (!img.parent.empty()) parents.insert(img.parent);
  std::erase_if(images, [&](const image::Image& img) {
    return !all && img.repo_tags.empty() && img.repo_digests.empty() && parents.count(img.id);
  });
  if (filters_text.empty()) return images;
  BERTH_TRY_ASSIGN(Json j, parse_json(filters_text, "filters"));
  BERTH_TRY_ASSIGN(engine::Filters f, engine::Filters::from_json(j));
  BERTH_TRY(f.validate({"dangling", "label", "reference", "before", "since", "until"}));
  BERTH_TRY_ASSIGN(bool want_dangling, f.get_bool("dangling", false));
  bool by_dangling = f.contains("dangling");
  BERTH_TRY_ASSIGN(int64_t until, f.get_timestamp("until", now_nanos()));
  auto created = [](const image::Image& i) {
    int64_t t = 0;
    parse_rfc3339(i.created, &t);
    return t;
  };
  // moby walks the values: the last before/since image named wins.
  int64_t before = INT64_MAX, since = INT64_MIN;
  for (auto& b : f.get("before")) {
    BERTH_TRY_ASSIGN(auto img, find_image(engine, b));
    before = created(img);
  }
  for (auto& b : f.get("since")) {
    BERTH_TRY_ASSIGN(auto img, find_image(engine, b));
    since = created(img);
  }
  auto refs = f.get("reference");
  std::vector<image::Image> out;
  for (auto& img : images) {
    if (by_dangling && want_dangling != img.repo_tags.empty()) continue;
    if (!f.match_kv_list("label", img.config.labels)) continue;
    if (created(img) >= before || created(img) <= since) continue;
    if (until && created(img) >= until) continue;
    if (!refs.empty()) {
      std::vector<std::string> kept;
      for (auto& t : img.repo_tags) {
        std::string name = t.substr(0, t.rfind(':'));
        for (auto& pat : refs)
          if (::fnmatch(pat.c_str(), t.c_str(), FNM_PATHNAME) == 0 ||
              ::fnmatch(pat.c_str(), name.c_str(), FNM_PATHNAME) == 0) {
            kept.push_back(t);
            break;
          }
      }
      if (kept.empty()) continue;
      img.repo_tags = kept;
    }
    out.push_back(std::move(img));
  }
  return out;
}

Status bootstrap(Engine& engine, http::Request& request, http::ResponseWriter& w) {
  std::string tag = request.query_value("tag", "busybox:latest");
  std::string binary = request.query_value("busybox", engine.options().busybox_path);
  MessageStream out(w);
  BERTH_TRY(out.begin());
  out.status("Building " + tag + " from " + binary);
  auto img = engine.images().bootstrap_busybox(binary, tag);
  if (!img) return out.fail(img.error());
  out.status("Tagged " + tag);
  model::BuildResult aux;
  aux.id = img->id;
  model::JSONMessage m;
  m.aux = model::RawJson(model::dump(aux));
  out.send(m);
  return w.end();
}
}  // namespace

void add_image_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add("GET", "/images/json",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(auto all, e->images().list());
               BERTH_TRY_ASSIGN(auto images, filter_images(*e, all, r.query_value("filters"),
                                                           r.query_bool("all")));
               bool digests = r.query_bool("digests", true);
               (void)digests;
               model::List<model::ImageSummary> out;
               out.set_empty();
               for (auto& img : images) out.push_back(image_summary(img));
               return send_json(w, 200, model::dump(out));
             });
  add_image_registry_routes(router, engine);
  router.add("POST", "/images/load",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return load(*e, r, w);
             });
  router.add("GET", "/images/get",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return save(*e, r.query_values("names"), w);
             });
  router.add("POST", "/images/bootstrap",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return bootstrap(*e, r, w);
             });
  router.add("GET", "/images/{name*}/get",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               return save(*e, {p.at("name")}, w);
             });
  router.add("GET", "/images/{name*}/json",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(auto img, find_image(*e, p.at("name")));
               return send_json(w, 200, model::dump(image_inspect(img)));
             });
  router.add("POST", "/images/{name*}/tag",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(auto img, find_image(*e, p.at("name")));
               std::string repo = r.query_value("repo"), tag = r.query_value("tag", "latest");
               if (repo.empty())
                 return Status(make_error(Code::kInvalidArgument,
                                          "repository name must have at least one component"));
               BERTH_TRY(e->tag_image(img.id, repo + ":" + tag));
               return w.send(201, "", "");
             });
}

}  // namespace berth::api::server
