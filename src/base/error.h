// Errors as values.  Every fallible Berth function returns Result<T>; an Error carries a code that
// callers branch on, the errno where a syscall failed, and a message that gains context as it
// rises ("start container abc: mount overlay on /x: Invalid argument").  Berth code never throws.
#pragma once

#include <cerrno>
#include <string>
#include <utility>
#include <variant>

namespace berth {

enum class Code {
  kOk,
  kNotFound,
  kAlreadyExists,
  kInvalidArgument,
  kConflict,
  kPermissionDenied,
  kUnauthorized,
  kUnavailable,
  kNotImplemented,
  kNotModified,
  kCancelled,
  kDataLoss,
  kInternal,
};

const char* code_name(Code code);

struct Error {
  Code code = Code::kInternal;
  int sys_errno = 0;  // 0 when the error did not come from a syscall
  std::string message;

  // Prefixes context: Error{"No such file"}.context("open /x") -> "open /x: No such file".
  Error context(const std::string& what) const&;
  Error context(const std::string& what) &&;
};

Error make_error(Code code, std::string message);
// An error from a failed syscall: code from errno (ENOENT -> NotFound, EEXIST -> AlreadyExists,
// EACCES/EPERM -> PermissionDenied, EINVAL -> InvalidArgument, else Internal), message
// "<what>: <strerror>".
Error sys_error(const std::string& what, int err = errno);
Code code_from_errno(int err);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }
  T value_or(T other) const& { return ok() ? value() : std::move(other); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;
inline Status ok_status() { return Status(); }

}  // namespace berth

#define BERTH_CONCAT_INNER(a, b) a##b
#define BERTH_CONCAT(a, b) BERTH_CONCAT_INNER(a, b)

// Returns the error of a failed Result from the enclosing function.
#define BERTH_TRY(expr)                                                       \
  do {                                                                        \
    auto&& berth_try_result_ = (expr);                                        \
    if (!berth_try_result_.ok()) return std::move(berth_try_result_).error(); \
  } while (0)

// Like BERTH_TRY, with context added to the error.
#define BERTH_TRY_CTX(expr, ctx)                                                           \
  do {                                                                                     \
    auto&& berth_try_result_ = (expr);                                                     \
    if (!berth_try_result_.ok()) return std::move(berth_try_result_).error().context(ctx); \
  } while (0)

// Declares or assigns `lhs` from a Result, returning its error on failure:
//   BERTH_TRY_ASSIGN(auto fd, open_file(path));
#define BERTH_TRY_ASSIGN(lhs, expr) \
  BERTH_TRY_ASSIGN_IMPL(BERTH_CONCAT(berth_try_tmp_, __LINE__), lhs, expr)
#define BERTH_TRY_ASSIGN_IMPL(tmp, lhs, expr)   \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
