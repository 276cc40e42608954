#include "compose/node.h"

#include <cstdio>

namespace berth::compose {

Node Node::boolean(bool b) {
  Node n;
  n.kind_ = Kind::kBool;
  n.b_ = b;
  return n;
}

Node Node::integer(int64_t i) {
  Node n;
  n.kind_ = Kind::kInt;
  n.i_ = i;
  return n;
}

Node Node::floating(double f, std::string text) {
  Node n;
  n.kind_ = Kind::kFloat;
  n.f_ = f;
  n.s_ = std::move(text);
  return n;
}

Node Node::string(std::string s) {
  Node n;
  n.kind_ = Kind::kString;
  n.s_ = std::move(s);
  return n;
}

Node Node::seq() {
  Node n;
  n.kind_ = Kind::kSeq;
  return n;
}

Node Node::map() {
  Node n;
  n.kind_ = Kind::kMap;
  return n;
}

std::string Node::scalar_text() const {
  switch (kind_) {
    case Kind::kBool:
      return b_ ? "true" : "false";
    case Kind::kInt:
      return std::to_string(i_);
    case Kind::kFloat: {
      if (!s_.empty()) return s_;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", f_);
      return buf;
    }
    case Kind::kString:
      return s_;
    default:
      return "";
  }
}

const Node* Node::find(const std::string& key) const {
  for (const auto& [k, v] : map_) {
    if (k == key) return &v;
  }
  return nullptr;
}

Node* Node::find(const std::string& key) {
  for (auto& [k, v] : map_) {
    if (k == key) return &v;
  }
  return nullptr;
}

Node& Node::set(const std::string& key, Node value) {
  if (kind_ != Kind::kMap) *this = map();
  if (Node* existing = find(key)) {
    *existing = std::move(value);
    return *existing;
  }
  map_.emplace_back(key, std::move(value));
  return map_.back().second;
}

Node& Node::operator[](const std::string& key) {
  if (Node* existing = find(key)) return *existing;
  return set(key, Node());
}

bool Node::erase(const std::string& key) {
  for (auto it = map_.begin(); it != map_.end(); ++it) {
    if (it->first == key) {
      map_.erase(it);
      return true;
    }
  }
  return false;
}

std::string Node::str(const std::string& key) const {
  const Node* n = find(key);
  return n == nullptr ? "" : n->scalar_text();
}

bool Node::operator==(const Node& o) const {
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return b_ == o.b_;
    case Kind::kInt:
      return i_ == o.i_;
    case Kind::kFloat:
      return f_ == o.f_;
    case Kind::kString:
      return s_ == o.s_;
    case Kind::kSeq:
      return seq_ == o.seq_;
    case Kind::kMap:
      return map_ == o.map_;
  }
  return false;
}

const char* kind_name(Node::Kind kind) {
  switch (kind) {
    case Node::Kind::kNull:
      return "null";
    case Node::Kind::kBool:
      return "boolean";
    case Node::Kind::kInt:
      return "integer";
    case Node::Kind::kFloat:
      return "number";
    case Node::Kind::kString:
      return "string";
    case Node::Kind::kSeq:
      return "array";
    case Node::Kind::kMap:
      return "object";
  }
  return "?";
}

std::string path_key(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string path_index(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace berth::compose
