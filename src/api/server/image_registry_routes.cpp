#include "api/server/image_registry_routes.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "api/server/container_views.h"
#include "api/server/routes.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/time.h"
#include "engine/filters.h"
#include "model/container_json.h"
#include "model/image_json.h"
#include "model/system_json.h"

namespace berth::api::server {

namespace {
using engine::Engine;

// Docker's JSONProgress string: "[=====>      ]  1.2MB/2.3MB".
std::string progress_bar(int64_t current, int64_t total) {
  if (total <= 0) return current > 0 ? human_size(static_cast<double>(current)) : "";
  int pct = static_cast<int>(static_cast<double>(current) / static_cast<double>(total) * 100) / 2;
  pct = std::min(pct, 50);
  std::string bar = "[" + std::string(pct, '=') + ">" + std::string(50 - pct, ' ') + "] ";
  char nums[64];
  std::snprintf(nums, sizeof nums, "%8s/%s", human_size(static_cast<double>(current)).c_str(),
                human_size(static_cast<double>(total)).c_str());
  return bar + nums;
}

model::JSONMessage event_message(const image::ProgressEvent& e) {
  model::JSONMessage m;
  m.status = e.status;
  m.id = e.id;
  if (e.total > 0 || e.current > 0) {
    auto& detail = m.progress_detail.emplace();
    detail.current = e.current;
    detail.total = e.total;
    m.progress = progress_bar(e.current, e.total);
  } else if (!e.id.empty()) {
    m.progress_detail.emplace();
  }
  return m;
}

class Stream {
 public:
  explicit Stream(http::ResponseWriter& w) : w_(w) {}
  Status begin() { return w_.begin_stream(200, "application/json"); }
  void send(const model::JSONMessage& m) {
    std::lock_guard lock(mu_);
    (void)w_.write(model::dump(m) + "\r\n");
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
  std::mutex mu_;
};

image::RegistryAuth request_auth(const http::Request& r) {
  return image::decode_registry_auth(r.headers.get("X-Registry-Auth"));
}

Status pull(Engine& e, http::Request& r, http::ResponseWriter& w) {
  std::string from = r.query_value("fromImage");
  if (from.empty()) {
    if (r.has_query("fromSrc"))
      return make_error(Code::kNotImplemented, "import is not supported by Berth");
    return make_error(Code::kInvalidArgument, "fromImage is required");
  }
  std::string tag = r.query_value("tag");
  std::string ref = from;
  if (!tag.empty()) ref += (tag.starts_with("sha256:") ? "@" : ":") + tag;
  // A bad name is a 400 before the stream starts, as dockerd answers.
  if (auto parsed = image::normalize_reference(ref); !parsed) return parsed.error();
  image::PullOptions opts;
  opts.platform = r.query_value("platform");
  opts.auth = request_auth(r);
  Stream out(w);
  BERTH_TRY(out.begin());
  auto img =
      e.pull_image(ref, opts, [&](const image::ProgressEvent& ev) { out.send(event_message(ev)); });
  if (!img) return out.fail(img.error());
  return w.end();
}

Status push(Engine& e, http::Request& r, http::ResponseWriter& w, const std::string& name) {
  std::string tag = r.query_value("tag");
  std::string ref = name;
  if (!tag.empty()) ref += ":" + tag;
  BERTH_TRY_ASSIGN(auto parsed, image::normalize_reference(ref));
  (void)parsed;
  if (!e.images().get(ref))
    return make_error(Code::kNotFound, "An image does not exist locally with the tag: " + name);
  Stream out(w);
  BERTH_TRY(out.begin());
  std::string pushed_tag = tag.empty() ? "latest" : tag;
  auto digest = e.push_image(ref, request_auth(r),
                             [&](const image::ProgressEvent& ev) { out.send(event_message(ev)); });
  if (!digest) return out.fail(digest.error());
  model::PushResult pushed;
  pushed.tag = pushed_tag;
  pushed.digest = *digest;
  model::JSONMessage m;
  m.progress_detail.emplace();
  m.aux = model::RawJson(model::dump(pushed));
  out.send(m);
  return w.end();
}

model::ImageDeleteResponseItem delete_item(const image::RemoveItem& i) {
  model::ImageDeleteResponseItem item;
  (i.deleted ? item.deleted : item.untagged) = i.value;
  return item;
}

Status remove(Engine& e, http::Request& r, http::ResponseWriter& w, const std::string& name) {
  auto items = e.remove_image(name, r.query_bool("force"), r.query_bool("noprune"));
  if (!items) {
    if (items.error().code == Code::kNotFound)
      return make_error(Code::kNotFound, "No such image: " + name);
    return items.error();
  }
  model::List<model::ImageDeleteResponseItem> out;
  out.set_empty();
  for (auto& i : *items) out.push_back(delete_item(i));
  return send_json(w, 200, model::dump(out));
}

Status history(Engine& e, http::ResponseWriter& w, const std::string& name) {
  auto h = e.images().history(name);
  if (!h) {
    if (h.error().code == Code::kNotFound)
      return make_error(Code::kNotFound, "No such image: " + name);
    return h.error();
  }
  model::List<model::ImageHistoryItem> out;
  out.set_empty();
  for (auto& x : *h) {
    model::ImageHistoryItem item;
    item.id = x.id;
    item.created = x.created;
    item.created_by = x.created_by;
    if (!x.tags.empty()) item.tags = x.tags;  // else null
    item.size = x.size;
    item.comment = x.comment;
    out.push_back(std::move(item));
  }
  return send_json(w, 200, model::dump(out));
}

Status prune(Engine& e, http::Request& r, http::ResponseWriter& w) {
  BERTH_TRY_ASSIGN(Json j, filters_param(r));
  BERTH_TRY_ASSIGN(engine::Filters f, engine::Filters::from_json(j));
  BERTH_TRY(f.validate({"dangling", "label", "label!", "until"}));
  BERTH_TRY_ASSIGN(bool dangling_only, f.get_bool("dangling", true));
  BERTH_TRY_ASSIGN(int64_t until, f.get_timestamp("until", now_nanos()));
  BERTH_TRY_ASSIGN(auto images, e.images().list());
  std::set<std::string> used;
  for (auto& c : e.list_containers()) used.insert(c.image_id);
  model::ImagePruneResponse out;  // ImagesDeleted stays null when nothing went
  BERTH_TRY_ASSIGN(int64_t before, e.images().layers_size());
  // Only images nothing builds on: removing one takes its untagged parents with it.
  std::set<std::string> parents;
  for (auto& img : images)
    if (!img.parent.empty()) parents.insert(img.parent);
  for (auto& img : images) {
    if (used.count(img.id) || parents.count(img.id)) continue;
    if (dangling_only && !img.repo_tags.empty()) continue;
    if (!f.match_kv_list("label", img.config.labels)) continue;
    if (f.contains("label!") && f.match_kv_list("label!", img.config.labels)) continue;
    if (until > 0) {
      int64_t t = 0;
      parse_rfc3339(img.created, &t);
      if (t >= until) continue;
    }
    auto items = e.remove_image(img.id, true, false);
    if (!items) continue;
    for (auto& i : *items) out.images_deleted.push_back(delete_item(i));
  }
  BERTH_TRY_ASSIGN(int64_t after, e.images().layers_size());
  out.space_reclaimed = static_cast<uint64_t>(std::max<int64_t>(before - after, 0));
  return send_json(w, 200, model::dump(out));
}

Status auth(Engine& e, http::Request& r, http::ResponseWriter& w) {
  BERTH_TRY_ASSIGN(std::string body, json_body_text(r));
  // Invalid (or too deeply nested) JSON is a 400, as dockerd's decode error, not a login.
  if (!trim(body).empty()) BERTH_TRY(parse_json(body, "request body"));
  std::string server;
  image::RegistryAuth a = image::parse_auth_config(body, &server);
  Status st = e.images().login(server, a);
  if (!st) {
    if (st.error().code == Code::kUnauthorized) return st;
    return make_error(Code::kUnauthorized, st.error().message);
  }
  model::AuthResponse out;
  out.status = "Login Succeeded";
  return send_json(w, 200, model::dump(out));
}

Status system_df(Engine& e, http::ResponseWriter& w) {
  BERTH_TRY_ASSIGN(auto images, e.images().list());
  auto containers = e.list_containers();
  std::map<std::string, int> uses;
  for (auto& c : containers) uses[c.image_id]++;
  model::SystemDiskUsage df;
  df.images.set_empty();
  for (auto& img : images) {
    int64_t t = 0;
    parse_rfc3339(img.created, &t);
    model::ImageSummary s;
    s.id = img.id;
    s.repo_tags = img.repo_tags;
    s.repo_digests = img.repo_digests;
    s.created = t / 1000000000LL;
    s.size = img.size;
    s.labels.set_empty();
    s.containers = uses[img.id];
    df.images.push_back(std::move(s));
  }
  df.containers.set_empty();
  for (auto& c : containers) {
    model::ContainerSummary s = container_summary_model(c);
    auto usage = e.disk_usage(c.id, c.image_id);
    s.size_rw = usage.size_rw;
    s.size_root_fs = usage.size_root_fs;
    df.containers.push_back(std::move(s));
  }
  BERTH_TRY_ASSIGN(df.layers_size, e.images().layers_size());
  df.volumes.set_empty();
  df.build_cache.set_empty();
  return send_json(w, 200, model::dump(df));
}

Status distribution(Engine& e, http::Request& r, http::ResponseWriter& w, const std::string& name) {
  BERTH_TRY_ASSIGN(auto parsed, image::normalize_reference(name));
  (void)parsed;
  BERTH_TRY_ASSIGN(auto info, e.images().distribution(name, request_auth(r)));
  model::DistributionInspect out;
  out.descriptor.media_type = info.media_type;
  out.descriptor.digest = info.digest;
  out.descriptor.size = info.size;
  out.platforms.set_empty();
  for (auto& p : info.platforms) {
    auto parts = split(p, '/');
    model::OCIPlatform platform;
    platform.architecture = parts.size() > 1 ? parts[1] : "";
    platform.os = parts.empty() ? "" : parts[0];
    if (parts.size() > 2) platform.variant = parts[2];
    out.platforms.push_back(std::move(platform));
  }
  return send_json(w, 200, model::dump(out));
}

}  // namespace

void add_image_registry_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add("POST", "/images/create",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return pull(*e, r, w);
             });
  router.add("POST", "/images/prune",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return prune(*e, r, w);
             });
  router.add("GET", "/images/search",
             [](http::Request&, http::ResponseWriter&, const Params&) -> Status {
               return make_error(Code::kNotImplemented,
                                 "search is not supported: Berth talks only to registries named "
                                 "in image references, and has no index to search");
             });
  router.add("POST", "/images/{name*}/push",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               return push(*e, r, w, p.at("name"));
             });
  router.add("GET", "/images/{name*}/history",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               return history(*e, w, p.at("name"));
             });
  router.add("DELETE", "/images/{name*}",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               return remove(*e, r, w, p.at("name"));
             });
  router.add("POST", "/auth",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               return auth(*e, r, w);
             });
  router.add("GET", "/system/df",
             [e](http::Request&, http::ResponseWriter& w, const Params&) -> Status {
               return system_df(*e, w);
             });
  router.add("GET", "/distribution/{name*}/json",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               return distribution(*e, r, w, p.at("name"));
             });
}

}  // namespace berth::api::server
