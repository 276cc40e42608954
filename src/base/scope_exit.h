// ScopeExit runs a function when it goes out of scope unless dismissed: the undo step of a
// multi-step operation, so a failure part way unwinds what was done, in reverse order.
#pragma once

#include <functional>
#include <utility>

namespace berth {

class ScopeExit {
 public:
  explicit ScopeExit(std::function<void()> fn) : fn_(std::move(fn)) {}
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;
  ~ScopeExit() {
    if (fn_) fn_();
  }
  void dismiss() { fn_ = nullptr; }

 private:
  std::function<void()> fn_;
};

}  // namespace berth
