#include "base/error.h"

#include <cstring>

namespace berth {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kNotFound:
      return "not found";
    case Code::kAlreadyExists:
      return "already exists";
    case Code::kInvalidArgument:
      return "invalid argument";
    case Code::kConflict:
      return "conflict";
    case Code::kPermissionDenied:
      return "permission denied";
    case Code::kUnauthorized:
      return "unauthorized";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kNotImplemented:
      return "not implemented";
    case Code::kNotModified:
      return "not modified";
    case Code::kCancelled:
      return "cancelled";
    case Code::kDataLoss:
      return "data loss";
    case Code::kInternal:
      return "internal";
  }
  return "unknown";
}

Error Error::context(const std::string& what) const& {
  return Error{code, sys_errno, what + ": " + message};
}

Error Error::context(const std::string& what) && {
  message = what + ": " + message;
  return std::move(*this);
}

Error make_error(Code code, std::string message) { return Error{code, 0, std::move(message)}; }

Code code_from_errno(int err) {
  switch (err) {
    case ENOENT:
      return Code::kNotFound;
    case EEXIST:
      return Code::kAlreadyExists;
    case EACCES:
    case EPERM:
      return Code::kPermissionDenied;
    case EINVAL:
      return Code::kInvalidArgument;
    case EBUSY:
      return Code::kConflict;
    case ECONNREFUSED:
    case EAGAIN:
      return Code::kUnavailable;
    case ENOSYS:
    case EOPNOTSUPP:
      return Code::kNotImplemented;
    default:
      return Code::kInternal;
  }
}

Error sys_error(const std::string& what, int err) {
  return Error{code_from_errno(err), err, what + ": " + std::strerror(err)};
}

}  // namespace berth
