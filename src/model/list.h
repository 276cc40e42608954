// List<T> and Map<T>: the containers of the typed Engine API model.  Go tells a nil slice or map
// (encoded `null`) from an empty one (`[]`, `{}`), and Docker's clients see the difference, so
// these remember it: a default-constructed or null-decoded container encodes as `null`; one that
// was assigned (even `= {}`), decoded from `[]`/`{}`, or given elements encodes as a value.
// Plain values, no thread safety beyond the standard containers'.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace berth::model {

template <class T>
class List : public std::vector<T> {
 public:
  using Base = std::vector<T>;

  List() = default;
  List(std::initializer_list<T> init) : Base(init), null_(false) {}
  List(Base v) : Base(std::move(v)), null_(false) {}
  List& operator=(std::initializer_list<T> init) {
    Base::operator=(init);
    null_ = false;
    return *this;
  }
  List& operator=(Base v) {
    Base::operator=(std::move(v));
    null_ = false;
    return *this;
  }

  // True when this encodes as `null`: never given a value, or decoded from null.
  bool is_null() const { return null_ && this->empty(); }
  void set_null() {
    this->clear();
    null_ = true;
  }
  // Empty, and encoded as `[]`.
  void set_empty() {
    this->clear();
    null_ = false;
  }

  friend bool operator==(const List& a, const List& b) {
    return a.is_null() == b.is_null() && static_cast<const Base&>(a) == static_cast<const Base&>(b);
  }

 private:
  bool null_ = true;
};

template <class T>
class Map : public std::map<std::string, T> {
 public:
  using Base = std::map<std::string, T>;

  Map() = default;
  Map(std::initializer_list<typename Base::value_type> init) : Base(init), null_(false) {}
  Map(Base m) : Base(std::move(m)), null_(false) {}
  Map& operator=(std::initializer_list<typename Base::value_type> init) {
    Base::operator=(init);
    null_ = false;
    return *this;
  }
  Map& operator=(Base m) {
    Base::operator=(std::move(m));
    null_ = false;
    return *this;
  }

  // True when this encodes as `null`: never given a value, or decoded from null.
  bool is_null() const { return null_ && this->empty(); }
  void set_null() {
    this->clear();
    null_ = true;
  }
  // Empty, and encoded as `{}`.
  void set_empty() {
    this->clear();
    null_ = false;
  }

  friend bool operator==(const Map& a, const Map& b) {
    return a.is_null() == b.is_null() && static_cast<const Base&>(a) == static_cast<const Base&>(b);
  }

 private:
  bool null_ = true;
};

}  // namespace berth::model
