// Docker's reference grammar (github.com/distribution/reference, normalize.go and regexp.go),
// transcribed without the regexp package: components [a-z0-9]+ joined by "." "_" "__" or runs
// of "-", a domain when the first component has "." or ":" or is "localhost", tags of word
// characters up to 128 long.
#include "image/reference.h"

#include <cctype>
#include <string_view>

#include "base/digest.h"
#include "base/strings.h"
#include "image/image_store.h"

namespace berth::image {
namespace {

constexpr const char* kDefaultDomain = "docker.io";
constexpr const char* kOfficialPrefix = "library/";

Error invalid(const std::string& why = "") {
  return make_error(Code::kInvalidArgument,
                    why.empty() ? "invalid reference format" : "invalid reference format: " + why);
}

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One path component: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool valid_component(std::string_view c) {
  if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) return false;
  size_t i = 0;
  while (i < c.size()) {
    if (is_lower_alnum(c[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < c.size() && !is_lower_alnum(c[j])) ++j;
    std::string_view sep = c.substr(i, j - i);
    bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (!(sep == "." || sep == "_" || sep == "__" || dashes)) return false;
    i = j;
  }
  return true;
}

// host[:port] where host is dot-separated [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])? or [ipv6].
bool valid_domain(std::string_view d) {
  std::string_view host = d, port;
  if (!d.empty() && d.front() == '[') {
    size_t close = d.find(']');
    if (close == std::string_view::npos || close < 2) return false;
    for (char c : d.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':') return false;
    host = {};
    port = d.substr(close + 1);
    if (!port.empty() && port.front() != ':') return false;
    if (!port.empty()) port.remove_prefix(1);
    if (d.size() > close + 1 && port.empty()) return false;
  } else {
    size_t colon = d.find(':');
    if (colon != std::string_view::npos) {
      host = d.substr(0, colon);
      port = d.substr(colon + 1);
      if (port.empty()) return false;
    }
    for (auto& label : split(host, '.')) {
      if (label.empty() || !std::isalnum(static_cast<unsigned char>(label.front())) ||
          !std::isalnum(static_cast<unsigned char>(label.back())))
        return false;
      for (char c : label)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
  }
  for (char c : port)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(t.front())) return false;
  for (char c : t)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

}  // namespace

std::string Reference::full() const {
  std::string out = name();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

std::string Reference::familiar_name() const {
  if (domain != kDefaultDomain) return name();
  std::string_view p = path;
  if (p.substr(0, 8) == kOfficialPrefix && p.find('/', 8) == std::string_view::npos)
    p.remove_prefix(8);
  return std::string(p);
}

std::string Reference::familiar() const {
  std::string out = familiar_name();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

Result<Reference> parse_reference(const std::string& input) {
  if (input.empty()) return invalid();
  if (is_hex64(input))
    return make_error(Code::kInvalidArgument, "invalid repository name (" + input +
                                                  "), cannot specify 64-byte hexadecimal strings");
  Reference ref;
  std::string rest = input;
  // The digest, then the tag: a ':' after the last '/' is a tag separator, not a port.
  if (size_t at = rest.find('@'); at != std::string::npos) {
    ref.digest = rest.substr(at + 1);
    rest.resize(at);
    size_t colon = ref.digest.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= ref.digest.size())
      return invalid();
    if (ref.digest.compare(0, 7, "sha256:") == 0 && !is_valid_digest(ref.digest))
      return invalid("invalid digest format");
  }
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    ref.tag = rest.substr(colon + 1);
    rest.resize(colon);
    if (!valid_tag(ref.tag)) return invalid();
  }
  // splitDockerDomain.
  size_t first = rest.find('/');
  std::string remote;
  if (first == std::string::npos ||
      (rest.substr(0, first).find_first_of(".:") == std::string::npos &&
       rest.substr(0, first) != "localhost" &&
       to_lower(rest.substr(0, first)) == rest.substr(0, first))) {
    ref.domain = kDefaultDomain;
    remote = rest;
  } else {
    ref.domain = rest.substr(0, first);
    remote = rest.substr(first + 1);
  }
  if (ref.domain == "index.docker.io") ref.domain = kDefaultDomain;
  if (ref.domain == kDefaultDomain && remote.find('/') == std::string::npos)
    remote = kOfficialPrefix + remote;
  if (to_lower(remote) != remote)
    return invalid("repository name (" + remote + ") must be lowercase");
  if (remote.empty() || !valid_domain(ref.domain)) return invalid();
  for (auto& c : split(remote, '/'))
    if (!valid_component(c)) return invalid();
  if (ref.domain.size() + 1 + remote.size() > 255)
    return invalid("repository name must not be more than 255 characters");
  ref.path = remote;
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

Result<std::string> normalize_reference(const std::string& ref) {
  BERTH_TRY_ASSIGN(Reference r, parse_reference(ref));
  return r.familiar();
}

}  // namespace berth::image
