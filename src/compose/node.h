// The Compose model as a tree: what a YAML document is once parsed (scalars resolved as YAML 1.2's
// core schema does), before and after interpolation, merging, extends and normalisation.  Maps
// keep their keys in file order, so `config` prints what the user wrote in the order they wrote
// it.  Values, no sharing: a YAML alias becomes a copy.  Not thread-safe; cheap enough to copy.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace berth::compose {

class Node {
 public:
  enum class Kind { kNull, kBool, kInt, kFloat, kString, kSeq, kMap };
  using Pair = std::pair<std::string, Node>;

  Node() = default;
  static Node null() { return Node(); }
  static Node boolean(bool b);
  static Node integer(int64_t i);
  static Node floating(double f, std::string text = "");
  static Node string(std::string s);
  static Node seq();
  static Node map();

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_float() const { return kind_ == Kind::kFloat; }
  bool is_number() const { return kind_ == Kind::kInt || kind_ == Kind::kFloat; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_seq() const { return kind_ == Kind::kSeq; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool is_scalar() const { return !is_seq() && !is_map(); }

  bool as_bool() const { return b_; }
  int64_t as_int() const { return i_; }
  double as_float() const { return kind_ == Kind::kInt ? static_cast<double>(i_) : f_; }
  const std::string& as_string() const { return s_; }
  // A scalar as text: "80", "true", "1.5", the string itself; "" for null and collections.
  std::string scalar_text() const;

  // The YAML tag when one was written (`!reset`, `!override`), else "".
  const std::string& tag() const { return tag_; }
  void set_tag(std::string tag) { tag_ = std::move(tag); }
  // True for a string produced by interpolation: the schema then accepts "80" where a number
  // is expected, as compose-go casts such values.
  bool interpolated() const { return interpolated_; }
  void set_interpolated(bool v) { interpolated_ = v; }

  // Sequences.
  std::vector<Node>& items() { return seq_; }
  const std::vector<Node>& items() const { return seq_; }
  void push_back(Node n) { seq_.push_back(std::move(n)); }

  // Maps.
  std::vector<Pair>& entries() { return map_; }
  const std::vector<Pair>& entries() const { return map_; }
  const Node* find(const std::string& key) const;
  Node* find(const std::string& key);
  bool has(const std::string& key) const { return find(key) != nullptr; }
  // Replaces the value of `key`, or appends it.
  Node& set(const std::string& key, Node value);
  // The value of `key`, inserted as null when missing.
  Node& operator[](const std::string& key);
  bool erase(const std::string& key);
  size_t size() const { return is_map() ? map_.size() : seq_.size(); }
  // A string member, or "" (numbers and bools as their text).
  std::string str(const std::string& key) const;

  bool operator==(const Node& other) const;

 private:
  Kind kind_ = Kind::kNull;
  bool b_ = false;
  bool interpolated_ = false;
  int64_t i_ = 0;
  double f_ = 0;
  std::string s_;  // kString, or kFloat's original text
  std::string tag_;
  std::vector<Node> seq_;
  std::vector<Pair> map_;
};

const char* kind_name(Node::Kind kind);

// "services.web.ports[0]": path elements joined the way errors name a key.
std::string path_key(const std::string& parent, const std::string& key);
std::string path_index(const std::string& parent, size_t index);

}  // namespace berth::compose
