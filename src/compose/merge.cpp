#include "compose/merge.h"

#include "base/strings.h"

namespace berth::compose {

namespace {

Node list_to_map(const Node& n, bool bare_is_null, char sep = '=') {
  if (!n.is_seq()) return n;
  Node m = Node::map();
  for (const auto& item : n.items()) {
    std::string s = item.scalar_text();
    size_t eq = s.find(sep);
    if (eq == std::string::npos) {
      m.set(s, bare_is_null ? Node() : Node::string(""));
    } else {
      m.set(s.substr(0, eq), Node::string(s.substr(eq + 1)));
    }
  }
  return m;
}

void append_unique(Node* base, const Node& over) {
  for (const auto& item : over.items()) {
    bool present = false;
    for (const auto& existing : base->items()) {
      if (existing == item) present = true;
    }
    if (!present) base->push_back(item);
  }
}

std::string source_of(const Node& entry) {
  return entry.is_map() ? entry.str("source") : entry.scalar_text();
}

// Entries of `over` replace those of `base` with the same key, others are appended.
Node merge_keyed(const Node& base, const Node& over, std::string (*key)(const Node&)) {
  Node out = base.is_seq() ? base : Node::seq();
  for (const auto& item : over.items()) {
    bool replaced = false;
    for (auto& existing : out.items()) {
      if (key(existing) == key(item)) {
        existing = item;
        replaced = true;
      }
    }
    if (!replaced) out.push_back(item);
  }
  return out;
}

Node merge_value(const Node& base, const Node& over);

Node merge_maps(const Node& base, const Node& over) {
  Node out = base;
  for (const auto& [k, v] : over.entries()) {
    if (v.tag() == "!reset") {
      out.erase(k);
      continue;
    }
    Node* existing = out.find(k);
    if (existing == nullptr || v.tag() == "!override") {
      Node copy = v;
      copy.set_tag("");
      out.set(k, std::move(copy));
    } else {
      *existing = merge_value(*existing, v);
    }
  }
  return out;
}

Node merge_value(const Node& base, const Node& over) {
  if (base.is_map() && over.is_map()) return merge_maps(base, over);
  if (base.is_seq() && over.is_seq()) {
    Node out = base;
    append_unique(&out, over);
    return out;
  }
  return over;
}

}  // namespace

std::string volume_target(const Node& entry) {
  if (entry.is_map()) return entry.str("target");
  std::vector<std::string> parts = split(entry.scalar_text(), ':');
  if (parts.size() == 1) return parts[0];
  return parts[1];
}

void listish_to_maps(Node* service) {
  if (!service->is_map()) return;
  if (Node* env = service->find("environment")) *env = list_to_map(*env, true);
  for (const char* key : {"labels", "annotations", "sysctls"}) {
    if (Node* n = service->find(key)) *n = list_to_map(*n, false);
  }
  if (Node* n = service->find("networks"); n != nullptr && n->is_seq()) {
    Node m = Node::map();
    for (const auto& item : n->items()) m.set(item.scalar_text(), Node());
    *n = m;
  }
  if (Node* n = service->find("depends_on"); n != nullptr && n->is_seq()) {
    Node m = Node::map();
    for (const auto& item : n->items()) {
      Node cond = Node::map();
      cond.set("condition", Node::string("service_started"));
      cond.set("required", Node::boolean(true));
      m.set(item.scalar_text(), cond);
    }
    *n = m;
  }
  if (Node* b = service->find("build"); b != nullptr && b->is_string()) {
    Node m = Node::map();
    m.set("context", *b);
    *b = m;
  }
  if (Node* b = service->find("build"); b != nullptr && b->is_map()) {
    for (const char* key : {"args", "labels"}) {
      if (Node* n = b->find(key)) *n = list_to_map(*n, key == std::string("args"));
    }
  }
}

Node merge_service(const Node& base_in, const Node& over_in) {
  Node base = base_in, over = over_in;
  listish_to_maps(&base);
  listish_to_maps(&over);
  Node out = base.is_map() ? base : Node::map();
  for (const auto& [k, v] : over.entries()) {
    if (v.tag() == "!reset") {
      out.erase(k);
      continue;
    }
    Node* existing = out.find(k);
    if (existing == nullptr || v.tag() == "!override" || k == "command" || k == "entrypoint" ||
        (!existing->is_map() && !existing->is_seq())) {
      Node copy = v;
      copy.set_tag("");
      out.set(k, std::move(copy));
      continue;
    }
    if (k == "volumes" && v.is_seq()) {
      *existing = merge_keyed(*existing, v, volume_target);
    } else if ((k == "secrets" || k == "configs") && v.is_seq()) {
      *existing = merge_keyed(*existing, v, source_of);
    } else if (k == "healthcheck" && v.is_map()) {
      Node merged = merge_maps(*existing, v);
      if (const Node* test = v.find("test")) merged.set("test", *test);
      *existing = merged;
    } else if (k == "logging" && v.is_map() && existing->is_map() && v.has("driver") &&
               existing->str("driver") != v.str("driver")) {
      *existing = v;  // options of another driver mean nothing to this one
    } else {
      *existing = merge_value(*existing, v);
    }
  }
  return out;
}

Node merge_documents(const Node& base, const Node& over) {
  Node out = base.is_map() ? base : Node::map();
  for (const auto& [k, v] : over.entries()) {
    Node* existing = out.find(k);
    if (v.tag() == "!reset") {
      out.erase(k);
    } else if (existing == nullptr || v.tag() == "!override") {
      out.set(k, v);
    } else if (k == "services" && v.is_map() && existing->is_map()) {
      for (const auto& [name, svc] : v.entries()) {
        Node* s = existing->find(name);
        if (svc.tag() == "!reset") {
          existing->erase(name);
        } else if (s == nullptr) {
          existing->set(name, svc);
        } else {
          *s = merge_service(*s, svc);
        }
      }
    } else {
      *existing = merge_value(*existing, v);
    }
  }
  return out;
}

}  // namespace berth::compose
