#include "compose/normalize.h"

#include <algorithm>
#include <cstdlib>

#include "base/path.h"
#include "base/strings.h"
#include "compose/env_file.h"
#include "compose/merge.h"

namespace berth::compose {

namespace {

bool is_path_like(const std::string& s) {
  return !s.empty() && (s[0] == '.' || s[0] == '/' || s[0] == '~');
}

Node to_string_values(const Node& map) {
  Node out = Node::map();
  for (const auto& [k, v] : map.entries()) {
    out.set(k, v.is_null() ? Node() : Node::string(v.scalar_text()));
  }
  return out;
}

Node string_list(const Node& n) {
  if (n.is_seq()) {
    Node out = Node::seq();
    for (const auto& item : n.items()) out.push_back(Node::string(item.scalar_text()));
    return out;
  }
  Node out = Node::seq();
  out.push_back(Node::string(n.scalar_text()));
  return out;
}

Status normalize_command(Node* n, const std::string& path) {
  if (n->is_string()) {
    auto words = shell_split(n->as_string());
    if (!words.ok()) return make_error(Code::kInvalidArgument, path + ": " + words.error().message);
    Node list = Node::seq();
    for (auto& w : *words) list.push_back(Node::string(w));
    *n = list;
  } else if (n->is_seq()) {
    *n = string_list(*n);
  }
  return ok_status();
}

Status read_env_files(Node* service, const std::string& project_dir, const Lookup& lookup,
                      const std::string& path) {
  Node* files = service->find("env_file");
  if (files == nullptr) return ok_status();
  Node entries = files->is_seq() ? *files : string_list(*files);
  Node env = Node::map();
  for (const auto& entry : entries.items()) {
    std::string file = entry.is_map() ? entry.str("path") : entry.scalar_text();
    bool required = true;
    if (entry.is_map()) {
      if (const Node* r = entry.find("required")) required = r->is_bool() ? r->as_bool() : true;
    }
    file = resolve_path(project_dir, file);
    auto parsed = read_env_file(file, lookup);
    if (!parsed.ok()) {
      if (!required && parsed.error().code == Code::kNotFound) continue;
      return make_error(parsed.error().code, path + ".env_file: " + parsed.error().message);
    }
    for (auto& [k, v] : *parsed) env.set(k, Node::string(v));
  }
  if (const Node* explicit_env = service->find("environment")) {
    for (const auto& [k, v] : explicit_env->entries()) env.set(k, v);
  }
  service->erase("env_file");
  service->set("environment", env);
  return ok_status();
}

void sort_map(Node* n) {
  if (n == nullptr || !n->is_map()) return;
  std::stable_sort(n->entries().begin(), n->entries().end(),
                   [](const Node::Pair& a, const Node::Pair& b) { return a.first < b.first; });
}

void name_resources(Node* section, const std::string& project_name) {
  if (section == nullptr || !section->is_map()) return;
  for (auto& [key, def] : section->entries()) {
    if (def.is_null()) def = Node::map();
    if (!def.is_map() || def.has("name")) continue;
    const Node* ext = def.find("external");
    bool external = ext != nullptr && ((ext->is_bool() && ext->as_bool()) || ext->is_map());
    def.set("name", Node::string(external ? key : project_name + "_" + key));
  }
}

}  // namespace

Result<std::vector<std::string>> shell_split(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        cur += c;
      }
      continue;
    }
    if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < line.size() &&
                 std::string("\"\\$`").find(line[i + 1]) != std::string::npos) {
        cur += line[++i];
      } else {
        cur += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      cur += line[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (quote != 0) return make_error(Code::kInvalidArgument, "invalid command line string");
  if (in_word) out.push_back(cur);
  return out;
}

std::string resolve_path(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || path.find("://") != std::string::npos ||
      path.rfind("git@", 0) == 0)
    return path;
  if (path[0] == '~' && (path.size() == 1 || path[1] == '/')) {
    const char* home = std::getenv("HOME");
    return clean_path(std::string(home ? home : "/root") + path.substr(1));
  }
  return clean_path(dir + "/" + path);
}

void rebase_service_paths(Node* service, const std::string& dir) {
  if (!service->is_map()) return;
  if (Node* b = service->find("build")) {
    if (b->is_string()) *b = Node::string(resolve_path(dir, b->as_string()));
    if (b->is_map() && b->has("context"))
      b->set("context", Node::string(resolve_path(dir, b->str("context"))));
    if (b->is_map() && !b->has("context")) b->set("context", Node::string(dir));
  }
  if (Node* files = service->find("env_file")) {
    Node list = files->is_seq() ? *files : string_list(*files);
    for (auto& entry : list.items()) {
      if (entry.is_map()) {
        entry.set("path", Node::string(resolve_path(dir, entry.str("path"))));
      } else {
        entry = Node::string(resolve_path(dir, entry.scalar_text()));
      }
    }
    *files = list;
  }
  if (Node* vols = service->find("volumes"); vols != nullptr && vols->is_seq()) {
    for (auto& v : vols->items()) {
      if (v.is_string()) {
        std::vector<std::string> parts = split(v.as_string(), ':');
        if (parts.size() >= 2 && is_path_like(parts[0])) {
          parts[0] = resolve_path(dir, parts[0]);
          v = Node::string(join(parts, ":"));
        }
      } else if (v.is_map() && v.str("type") == "bind" && is_path_like(v.str("source"))) {
        v.set("source", Node::string(resolve_path(dir, v.str("source"))));
      }
    }
  }
}

Result<std::vector<Node>> parse_port(const Node& short_port, const std::string& path) {
  auto bad = [&](const std::string& why) {
    return make_error(Code::kInvalidArgument,
                      path + ": invalid port \"" + short_port.scalar_text() + "\": " + why);
  };
  std::string spec = short_port.scalar_text();
  std::string protocol = "tcp";
  if (size_t slash = spec.find('/'); slash != std::string::npos) {
    protocol = spec.substr(slash + 1);
    spec = spec.substr(0, slash);
  }
  std::string host_ip, published, target;
  if (!spec.empty() && spec[0] == '[') {  // [::1]:8080:80
    size_t close = spec.find(']');
    if (close == std::string::npos) return bad("unclosed [");
    host_ip = spec.substr(1, close - 1);
    spec = spec.substr(close + 1);
    if (!spec.empty() && spec[0] == ':') spec = spec.substr(1);
  }
  std::vector<std::string> parts = split(spec, ':');
  if (parts.size() == 1) {
    target = parts[0];
  } else if (parts.size() == 2) {
    published = parts[0];
    target = parts[1];
  } else if (parts.size() == 3 && host_ip.empty()) {
    host_ip = parts[0];
    published = parts[1];
    target = parts[2];
  } else {
    return bad("too many colons");
  }
  auto range = [&](const std::string& r, long long* lo, long long* hi) {
    std::vector<std::string> ends = split(r, '-');
    if (ends.size() > 2 || !parse_int64(ends[0], lo)) return false;
    if (ends.size() == 2) return parse_int64(ends[1], hi) && *hi >= *lo;
    *hi = *lo;
    return true;
  };
  long long tlo, thi, plo = 0, phi = 0;
  if (!range(target, &tlo, &thi)) return bad("invalid container port");
  if (!published.empty() && !range(published, &plo, &phi)) return bad("invalid host port");
  if (tlo < 1 || thi > 65535 || (!published.empty() && phi > 65535))
    return bad("port out of range");
  bool published_range = !published.empty() && phi != plo;
  if (published_range && thi != tlo && phi - plo != thi - tlo)
    return bad("port ranges do not have the same length");
  std::vector<Node> out;
  for (long long t = tlo; t <= thi; ++t) {
    Node p = Node::map();
    p.set("mode", Node::string("ingress"));
    if (!host_ip.empty()) p.set("host_ip", Node::string(host_ip));
    p.set("target", Node::integer(t));
    if (!published.empty()) {
      std::string pub = published_range && thi == tlo ? published
                        : published_range             ? std::to_string(plo + (t - tlo))
                                                      : std::to_string(plo);
      p.set("published", Node::string(pub));
    }
    p.set("protocol", Node::string(protocol));
    out.push_back(std::move(p));
  }
  return out;
}

Result<Node> parse_volume(const std::string& spec, const std::string& path) {
  std::vector<std::string> parts = split(spec, ':');
  Node v = Node::map();
  if (parts.size() == 1) {
    v.set("type", Node::string("volume"));
    v.set("target", Node::string(parts[0]));
    v.set("volume", Node::map());
    return v;
  }
  if (parts.size() > 3 || parts[1].empty()) {
    return make_error(Code::kInvalidArgument, path + ": invalid volume specification: " + spec);
  }
  bool bind = is_path_like(parts[0]);
  v.set("type", Node::string(bind ? "bind" : "volume"));
  v.set("source", Node::string(parts[0]));
  v.set("target", Node::string(parts[1]));
  Node opts = Node::map();
  if (bind) opts.set("create_host_path", Node::boolean(true));
  if (parts.size() == 3) {
    for (const auto& mode : split(parts[2], ',')) {
      if (mode == "ro") {
        v.set("read_only", Node::boolean(true));
      } else if (mode == "rw") {
      } else if (mode == "nocopy" && !bind) {
        opts.set("nocopy", Node::boolean(true));
      } else if (mode == "z" || mode == "Z") {
        if (bind) opts.set("selinux", Node::string(mode));
      } else if (bind && (mode == "shared" || mode == "rshared" || mode == "slave" ||
                          mode == "rslave" || mode == "private" || mode == "rprivate")) {
        opts.set("propagation", Node::string(mode));
      } else {
        return make_error(Code::kInvalidArgument,
                          path + ": invalid volume mode \"" + mode + "\" in " + spec);
      }
    }
  }
  v.set(bind ? "bind" : "volume", opts);
  return v;
}

Status normalize_service(const std::string& name, Node* svc, const std::string& project_dir,
                         const Lookup& lookup) {
  std::string path = "services." + name;
  if (svc->is_null()) *svc = Node::map();
  listish_to_maps(svc);
  rebase_service_paths(svc, project_dir);
  if (Node* b = svc->find("build");
      b != nullptr && b->is_map() && !b->has("dockerfile") && !b->has("dockerfile_inline")) {
    b->set("dockerfile", Node::string("Dockerfile"));
  }
  if (Node* env = svc->find("environment")) {
    Node resolved = Node::map();
    for (const auto& [k, v] : env->entries()) {
      if (v.is_null()) {
        // A bare KEY takes the shell's value, as `docker run -e KEY` does.
        if (auto value = lookup ? lookup(k) : std::nullopt) {
          resolved.set(k, Node::string(*value));
        } else {
          resolved.set(k, Node());
        }
      } else {
        resolved.set(k, Node::string(v.scalar_text()));
      }
    }
    *env = resolved;
  }
  BERTH_TRY(read_env_files(svc, project_dir, lookup, path));
  for (const char* key : {"labels", "annotations", "sysctls"}) {
    if (Node* n = svc->find(key)) *n = to_string_values(*n);
  }
  for (const char* key : {"command", "entrypoint"}) {
    if (Node* n = svc->find(key)) BERTH_TRY(normalize_command(n, path + "." + key));
  }
  if (Node* hc = svc->find("healthcheck"); hc != nullptr && hc->is_map()) {
    if (Node* test = hc->find("test"); test != nullptr && test->is_string()) {
      Node list = Node::seq();
      list.push_back(Node::string("CMD-SHELL"));
      list.push_back(*test);
      *test = list;
    }
  }
  for (const char* key : {"dns", "dns_search", "tmpfs", "expose", "cap_add", "cap_drop"}) {
    if (Node* n = svc->find(key)) *n = string_list(*n);
  }
  if (Node* ports = svc->find("ports")) {
    Node out = Node::seq();
    size_t i = 0;
    for (const auto& p : ports->items()) {
      std::string where = path_index(path + ".ports", i++);
      if (p.is_map()) {
        Node long_form = p;
        if (!long_form.has("mode")) long_form.set("mode", Node::string("ingress"));
        if (!long_form.has("protocol")) long_form.set("protocol", Node::string("tcp"));
        if (const Node* pub = long_form.find("published"))
          long_form.set("published", Node::string(pub->scalar_text()));
        if (const Node* t = long_form.find("target"); t != nullptr && t->is_string()) {
          long long v = 0;
          if (parse_int64(t->as_string(), &v)) long_form.set("target", Node::integer(v));
        }
        out.push_back(long_form);
        continue;
      }
      BERTH_TRY_ASSIGN(auto entries, parse_port(p, where));
      for (auto& e : entries) out.push_back(std::move(e));
    }
    *ports = out;
  }
  if (Node* vols = svc->find("volumes")) {
    Node out = Node::seq();
    size_t i = 0;
    for (const auto& v : vols->items()) {
      std::string where = path_index(path + ".volumes", i++);
      if (v.is_map()) {
        out.push_back(v);
        continue;
      }
      BERTH_TRY_ASSIGN(Node long_form, parse_volume(v.scalar_text(), where));
      out.push_back(long_form);
    }
    *vols = out;
  }
  if (!svc->has("networks") && !svc->has("network_mode")) {
    Node nets = Node::map();
    nets.set("default", Node());
    svc->set("networks", nets);
  }
  if (Node* deps = svc->find("depends_on")) {
    for (auto& [dep, cond] : deps->entries()) {
      if (!cond.is_map()) cond = Node::map();
      if (!cond.has("condition")) cond.set("condition", Node::string("service_started"));
      if (!cond.has("required")) cond.set("required", Node::boolean(true));
    }
  }
  return ok_status();
}

Status normalize_model(Node* model, const std::string& project_name, const std::string& project_dir,
                       const Lookup& lookup) {
  model->erase("version");
  model->erase("include");
  Node* services = model->find("services");
  bool uses_default = false;
  if (services != nullptr) {
    for (auto& [name, svc] : services->entries()) {
      BERTH_TRY(normalize_service(name, &svc, project_dir, lookup));
      if (const Node* nets = svc.find("networks"); nets != nullptr && nets->has("default"))
        uses_default = true;
    }
    sort_map(services);
  }
  if (uses_default) {
    Node& nets = (*model)["networks"];
    if (!nets.is_map()) nets = Node::map();
    if (!nets.has("default")) nets.set("default", Node::map());
  }
  name_resources(model->find("networks"), project_name);
  name_resources(model->find("volumes"), project_name);
  name_resources(model->find("secrets"), project_name);
  name_resources(model->find("configs"), project_name);
  for (const char* key : {"secrets", "configs"}) {
    Node* section = model->find(key);
    if (section == nullptr) continue;
    for (auto& [k, def] : section->entries()) {
      if (def.is_map() && def.has("file"))
        def.set("file", Node::string(resolve_path(project_dir, def.str("file"))));
    }
  }
  for (const char* key : {"networks", "volumes", "secrets", "configs"}) sort_map(model->find(key));
  // `name` first, as `docker compose config` prints it.
  model->erase("name");
  Node ordered = Node::map();
  ordered.set("name", Node::string(project_name));
  for (auto& [k, v] : model->entries()) ordered.set(k, std::move(v));
  *model = std::move(ordered);
  return ok_status();
}

}  // namespace berth::compose
