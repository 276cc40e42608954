// Docker-format seccomp profile -> oci::Seccomp (nlohmann::json stays in this file).
#include <sys/utsname.h>

#include <cstdio>

#include "base/json.h"
#include "oci/spec_json.h"
#include "runtime/seccomp.h"

namespace berth::runtime {

namespace {

// Docker names architectures in includes/excludes the Go way.
const char* native_go_arch() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__i386__)
  return "386";
#else
  return "unknown";
#endif
}

const char* native_scmp_arch() {
#if defined(__x86_64__)
  return "SCMP_ARCH_X86_64";
#elif defined(__aarch64__)
  return "SCMP_ARCH_AARCH64";
#elif defined(__i386__)
  return "SCMP_ARCH_X86";
#else
  return "";
#endif
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  for (auto& e : v)
    if (e == x) return true;
  return false;
}

bool kernel_at_least(const std::string& min) {
  struct utsname u {};
  if (::uname(&u) != 0) return false;
  int have[2] = {0, 0}, want[2] = {0, 0};
  std::sscanf(u.release, "%d.%d", &have[0], &have[1]);
  std::sscanf(min.c_str(), "%d.%d", &want[0], &want[1]);
  return have[0] != want[0] ? have[0] > want[0] : have[1] >= want[1];
}

// Whether a rule applies under includes/excludes.
bool applies(const Json& rule, const std::vector<std::string>& caps) {
  std::string arch = native_go_arch();
  if (auto ex = rule.find("excludes"); ex != rule.end() && ex->is_object()) {
    if (contains(json_strings(*ex, "arches"), arch)) return false;
    for (auto& c : json_strings(*ex, "caps"))
      if (contains(caps, c)) return false;
  }
  if (auto in = rule.find("includes"); in != rule.end() && in->is_object()) {
    auto arches = json_strings(*in, "arches");
    if (!arches.empty() && !contains(arches, arch)) return false;
    for (auto& c : json_strings(*in, "caps"))
      if (!contains(caps, c)) return false;
    std::string min = json_string(*in, "minKernel");
    if (!min.empty() && !kernel_at_least(min)) return false;
  }
  return true;
}

}  // namespace

Result<oci::Seccomp> seccomp_from_docker_profile(std::string_view profile,
                                                 const std::vector<std::string>& capabilities) {
  BERTH_TRY_ASSIGN(Json j, parse_json(profile, "seccomp profile"));
  if (!j.is_object()) return make_error(Code::kInvalidArgument, "seccomp profile: not an object");
  try {
    Json out = {{"defaultAction", j.value("defaultAction", "SCMP_ACT_ERRNO")}};
    if (j.contains("defaultErrnoRet")) out["defaultErrnoRet"] = j["defaultErrnoRet"];
    std::vector<std::string> arches;
    if (j.contains("archMap")) {
      for (auto& a : j["archMap"]) {
        if (json_string(a, "architecture") != native_scmp_arch()) continue;
        arches.push_back(native_scmp_arch());
        for (auto& sub : json_strings(a, "subArchitectures")) arches.push_back(sub);
      }
    } else {
      arches = json_strings(j, "architectures");
    }
    out["architectures"] = arches;
    if (j.contains("flags")) out["flags"] = j["flags"];
    Json calls = Json::array();
    if (j.contains("syscalls")) {
      for (auto& rule : j["syscalls"]) {
        if (!applies(rule, capabilities)) continue;
        std::vector<std::string> names = json_strings(rule, "names");
        if (names.empty() && rule.contains("name")) names.push_back(json_string(rule, "name"));
        Json c = {{"names", names}, {"action", rule.value("action", "SCMP_ACT_ALLOW")}};
        if (rule.contains("errnoRet")) c["errnoRet"] = rule["errnoRet"];
        if (rule.contains("args") && rule["args"].is_array()) c["args"] = rule["args"];
        calls.push_back(c);
      }
    }
    out["syscalls"] = calls;
    return oci::parse_seccomp(dump_json(out));
  } catch (const Json::exception& e) {
    return make_error(Code::kInvalidArgument, std::string("seccomp profile: ") + e.what());
  }
}

}  // namespace berth::runtime
