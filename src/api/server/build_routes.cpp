// POST /build (the classic builder's API: a context tar in, Docker's JSON message stream out)
// and POST /build/prune.
#include <fcntl.h>
#include <unistd.h>

#include <thread>

#include "api/server/routes.h"
#include "base/file.h"
#include "base/json.h"
#include "base/random_id.h"
#include "base/scope_exit.h"
#include "engine/build_backend.h"
#include "model/build_json.h"
#include "model/image_json.h"

namespace berth::api::server {
namespace {

// A JSON-encoded query value: {"k": "v"} (values may be null).
std::map<std::string, std::optional<std::string>> json_map(const std::string& text) {
  std::map<std::string, std::optional<std::string>> out;
  if (text.empty()) return out;
  auto j = parse_json(text, "query map");
  if (!j.ok() || !j->is_object()) return out;
  for (auto& [k, v] : j->items()) {
    if (v.is_string())
      out[k] = v.get<std::string>();
    else
      out[k] = std::nullopt;
  }
  return out;
}

Status build(engine::Engine& engine, http::Request& r, http::ResponseWriter& w) {
  builder::BuildOptions opts;
  opts.dockerfile = r.query_value("dockerfile", "Dockerfile");
  for (auto& t : r.query_values("t"))
    if (!t.empty()) opts.tags.push_back(t);
  opts.build_args = json_map(r.query_value("buildargs"));
  for (auto& [k, v] : json_map(r.query_value("labels")))
    if (v) opts.labels[k] = *v;
  opts.target = r.query_value("target");
  opts.no_cache = r.query_bool("nocache");
  opts.pull = r.query_bool("pull");
  opts.squash = r.query_bool("squash");
  opts.network_mode = r.query_value("networkmode");
  if (auto cf = parse_json(r.query_value("cachefrom", "[]"), "cachefrom");
      cf.ok() && cf->is_array())
    for (auto& v : *cf)
      if (v.is_string()) opts.cache_from.push_back(v.get<std::string>());
  if (auto it = opts.build_args.find("SOURCE_DATE_EPOCH");
      it != opts.build_args.end() && it->second)
    opts.source_date_epoch = std::strtoll(it->second->c_str(), nullptr, 10);
  bool quiet = r.query_bool("q");
  for (auto& t : opts.tags) {
    auto n = image::normalize_reference(t);
    if (!n) {
      (void)r.body.drain();
      return make_error(Code::kInvalidArgument,
                        "invalid reference format: repository name (" + t + ") must be lowercase");
    }
  }

  auto backend = engine::make_build_backend(engine);
  std::string ctx = backend->tmp_dir() + "/build-ctx-" + random_hex_id().substr(0, 16);
  BERTH_TRY(make_dirs(ctx));
  ScopeExit cleanup([&] { (void)remove_all(ctx); });
  // The context streams through a pipe into the extractor on another thread.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe");
  UniqueFd rd(fds[0]), wr(fds[1]);
  Status extracted;
  // `berth build --secret` marks its request; only then are the context's reserved secret
  // entries taken out (into memory), so a docker CLI context is extracted as sent.
  bool with_secrets = r.query_bool("secrets");
  std::thread reader([&] {
    extracted = builder::extract_context(rd.get(), ctx, with_secrets ? &opts.secrets : nullptr);
    if (extracted.ok()) {
      char buf[4096];
      while (::read(rd.get(), buf, sizeof buf) > 0) {
      }
    }
    rd.reset();
  });
  char buf[65536];
  while (true) {
    auto n = r.body.read_some(buf, sizeof buf);
    if (!n || *n == 0) break;
    if (!write_all(wr.get(), std::string_view(buf, *n))) break;
  }
  wr.reset();
  reader.join();
  (void)r.body.drain();

  BERTH_TRY(w.begin_stream(200, "application/json"));
  auto send = [&](const model::JSONMessage& m) { (void)w.write(model::dump(m) + "\r\n"); };
  auto stream = [&](const std::string& text) {
    model::JSONMessage m;
    m.stream = text;
    send(m);
  };
  auto fail = [&](const Error& e) {
    model::JSONMessage m;
    m.error_detail.emplace().message = e.message;
    m.error = e.message;
    send(m);
    return w.end();
  };
  if (!extracted) return fail(extracted.error());
  auto result = builder::build(*backend, ctx, opts, [&](const std::string& text) {
    if (!quiet) stream(text);
  });
  if (!result) return fail(result.error());
  model::BuildResult built;
  built.id = result->image_id;
  model::JSONMessage aux;
  aux.aux = model::RawJson(model::dump(built));
  send(aux);
  if (quiet) {
    stream(result->image_id + "\n");
  } else {
    stream("Successfully built " + result->image_id.substr(7, 12) + "\n");
    for (auto& t : opts.tags) {
      auto n = image::normalize_reference(t);
      stream("Successfully tagged " + (n ? *n : t) + "\n");
    }
  }
  return w.end();
}

}  // namespace

void add_build_routes(Router& router, engine::Engine& engine) {
  engine::Engine* e = &engine;
  router.add("POST", "/build", [e](http::Request& r, http::ResponseWriter& w, const Params&) {
    return build(*e, r, w);
  });
  router.add("POST", "/build/prune",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               (void)r.body.drain();
               auto backend = engine::make_build_backend(*e);
               auto pruned = builder::prune_cache(*backend);
               if (!pruned) return std::move(pruned).error();
               model::BuildCachePruneResponse out;
               out.caches_deleted = pruned->second;
               out.space_reclaimed = static_cast<uint64_t>(pruned->first);
               return send_json(w, 200, model::dump(out));
             });
}

}  // namespace berth::api::server
