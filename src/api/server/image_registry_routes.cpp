#include "api/server/image_registry_routes.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "api/server/container_views.h"
#include "api/server/routes.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/time.h"

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

Json event_json(const image::ProgressEvent& e) {
  Json j = {{"status", e.status}};
  if (!e.id.empty()) j["id"] = e.id;
  if (e.total > 0 || e.current > 0) {
    j["progressDetail"] = {{"current", e.current}, {"total", e.total}};
    j["progress"] = progress_bar(e.current, e.total);
  } else if (!e.id.empty()) {
    j["progressDetail"] = Json::object();
  }
  return j;
}

class Stream {
 public:
  explicit Stream(http::ResponseWriter& w) : w_(w) {}
  Status begin() { return w_.begin_stream(200, "application/json"); }
  void send(const Json& j) {
    std::lock_guard lock(mu_);
    (void)w_.write(dump_json(j) + "\r\n");
  }
  Status fail(const Error& e) {
    send(Json{{"errorDetail", {{"message", e.message}}}, {"error", e.message}});
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
      e.pull_image(ref, opts, [&](const image::ProgressEvent& ev) { out.send(event_json(ev)); });
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
                             [&](const image::ProgressEvent& ev) { out.send(event_json(ev)); });
  if (!digest) return out.fail(digest.error());
  auto img = e.images().get(ref);
  out.send(Json{{"progressDetail", Json::object()},
                {"aux", {{"Tag", pushed_tag}, {"Digest", *digest}, {"Size", 0}}}});
  return w.end();
}

Status remove(Engine& e, http::Request& r, http::ResponseWriter& w, const std::string& name) {
  auto items = e.remove_image(name, r.query_bool("force"), r.query_bool("noprune"));
  if (!items) {
    if (items.error().code == Code::kNotFound)
      return make_error(Code::kNotFound, "No such image: " + name);
    return items.error();
  }
  Json out = Json::array();
  for (auto& i : *items) out.push_back(Json{{i.deleted ? "Deleted" : "Untagged", i.value}});
  return send_json(w, 200, dump_json(out));
}

Status history(Engine& e, http::ResponseWriter& w, const std::string& name) {
  auto h = e.images().history(name);
  if (!h) {
    if (h.error().code == Code::kNotFound)
      return make_error(Code::kNotFound, "No such image: " + name);
    return h.error();
  }
  Json out = Json::array();
  for (auto& x : *h)
    out.push_back(Json{{"Id", x.id},
                       {"Created", x.created},
                       {"CreatedBy", x.created_by},
                       {"Tags", x.tags.empty() ? Json(nullptr) : Json(x.tags)},
                       {"Size", x.size},
                       {"Comment", x.comment}});
  return send_json(w, 200, dump_json(out));
}

// filters={"dangling":{"true":true},"until":{...},"label":{...}} → value lists.
std::map<std::string, std::vector<std::string>> parse_filters(const std::string& text) {
  std::map<std::string, std::vector<std::string>> out;
  if (text.empty()) return out;
  auto j = parse_json(text, "filters");
  if (!j || !j->is_object()) return out;
  for (auto& [k, v] : j->items()) {
    if (v.is_object())
      for (auto& [val, on] : v.items()) out[k].push_back(val);
    else if (v.is_array())
      for (auto& x : v)
        if (x.is_string()) out[k].push_back(x.get<std::string>());
  }
  return out;
}

bool label_match(const image::Image& img, const std::vector<std::string>& labels) {
  for (auto& l : labels) {
    auto eq = l.find('=');
    std::string k = l.substr(0, eq);
    auto it = img.config.labels.find(k);
    if (it == img.config.labels.end()) return false;
    if (eq != std::string::npos && it->second != l.substr(eq + 1)) return false;
  }
  return true;
}

Status prune(Engine& e, http::Request& r, http::ResponseWriter& w) {
  auto f = parse_filters(r.query_value("filters"));
  bool dangling_only = true;
  if (f.count("dangling") && !f["dangling"].empty())
    dangling_only = f["dangling"][0] == "true" || f["dangling"][0] == "1";
  int64_t until = 0;
  if (f.count("until") && !f["until"].empty()) {
    int64_t ns = 0;
    if (parse_rfc3339(f["until"][0], &ns))
      until = ns / 1000000000LL;
    else
      until = std::atoll(f["until"][0].c_str());
  }
  BERTH_TRY_ASSIGN(auto images, e.images().list());
  std::set<std::string> used;
  for (auto& c : e.list_containers()) used.insert(c.image_id);
  Json deleted = Json::array();
  int64_t reclaimed = 0;
  BERTH_TRY_ASSIGN(int64_t before, e.images().layers_size());
  // Only images nothing builds on: removing one takes its untagged parents with it.
  std::set<std::string> parents;
  for (auto& img : images)
    if (!img.parent.empty()) parents.insert(img.parent);
  for (auto& img : images) {
    if (used.count(img.id) || parents.count(img.id)) continue;
    if (dangling_only && !img.repo_tags.empty()) continue;
    if (f.count("label") && !label_match(img, f["label"])) continue;
    if (until > 0) {
      int64_t t = 0;
      parse_rfc3339(img.created, &t);
      if (t / 1000000000LL >= until) continue;
    }
    auto items = e.remove_image(img.id, true, false);
    if (!items) continue;
    for (auto& i : *items) deleted.push_back(Json{{i.deleted ? "Deleted" : "Untagged", i.value}});
  }
  BERTH_TRY_ASSIGN(int64_t after, e.images().layers_size());
  reclaimed = before - after;
  return send_json(w, 200,
                   dump_json(Json{{"ImagesDeleted", deleted.empty() ? Json(nullptr) : deleted},
                                  {"SpaceReclaimed", reclaimed}}));
}

Status auth(Engine& e, http::Request& r, http::ResponseWriter& w) {
  BERTH_TRY_ASSIGN(std::string body, r.body.read_all());
  std::string server;
  image::RegistryAuth a = image::parse_auth_config(body, &server);
  Status st = e.images().login(server, a);
  if (!st) {
    if (st.error().code == Code::kUnauthorized) return st;
    return make_error(Code::kUnauthorized, st.error().message);
  }
  return send_json(w, 200, dump_json(Json{{"Status", "Login Succeeded"}, {"IdentityToken", ""}}));
}

Status system_df(Engine& e, http::ResponseWriter& w) {
  BERTH_TRY_ASSIGN(auto images, e.images().list());
  auto containers = e.list_containers();
  std::map<std::string, int> uses;
  for (auto& c : containers) uses[c.image_id]++;
  Json imgs = Json::array();
  for (auto& img : images) {
    int64_t t = 0;
    parse_rfc3339(img.created, &t);
    imgs.push_back(Json{{"Id", img.id},
                        {"ParentId", ""},
                        {"RepoTags", img.repo_tags},
                        {"RepoDigests", img.repo_digests},
                        {"Created", t / 1000000000LL},
                        {"Size", img.size},
                        {"SharedSize", 0},
                        {"Labels", Json::object()},
                        {"Containers", uses[img.id]}});
  }
  Json cs = Json::array();
  for (auto& c : containers) {
    Json s = container_summary(c);
    auto usage = e.disk_usage(c.id, c.image_id);
    s["SizeRw"] = usage.size_rw;
    s["SizeRootFs"] = usage.size_root_fs;
    cs.push_back(s);
  }
  BERTH_TRY_ASSIGN(int64_t layers, e.images().layers_size());
  return send_json(w, 200,
                   dump_json(Json{{"LayersSize", layers},
                                  {"Images", imgs},
                                  {"Containers", cs},
                                  {"Volumes", Json::array()},
                                  {"BuildCache", Json::array()}}));
}

Status distribution(Engine& e, http::Request& r, http::ResponseWriter& w, const std::string& name) {
  BERTH_TRY_ASSIGN(auto parsed, image::normalize_reference(name));
  (void)parsed;
  BERTH_TRY_ASSIGN(auto info, e.images().distribution(name, request_auth(r)));
  Json platforms = Json::array();
  for (auto& p : info.platforms) {
    auto parts = split(p, '/');
    Json pj = {{"architecture", parts.size() > 1 ? parts[1] : ""},
               {"os", parts.empty() ? "" : parts[0]}};
    if (parts.size() > 2) pj["variant"] = parts[2];
    platforms.push_back(pj);
  }
  return send_json(
      w, 200,
      dump_json(
          Json{{"Descriptor",
                {{"mediaType", info.media_type}, {"digest", info.digest}, {"size", info.size}}},
               {"Platforms", platforms}}));
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
