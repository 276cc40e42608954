// linux.seccomp -> a libseccomp filter.
#include <seccomp.h>

#include <cerrno>
#include <cstring>

#include "runtime/internal/security.h"

namespace berth::runtime {

namespace {

Result<uint32_t> action_of(const std::string& name, std::optional<uint32_t> errno_ret) {
  if (name == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (name == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(errno_ret.value_or(EPERM));
  if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (name == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (name == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (name == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(errno_ret.value_or(EPERM));
  if (name == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  return make_error(Code::kNotImplemented, "seccomp action " + name + " is not supported");
}

Result<scmp_compare> op_of(const std::string& op) {
  if (op == "SCMP_CMP_NE") return SCMP_CMP_NE;
  if (op == "SCMP_CMP_LT") return SCMP_CMP_LT;
  if (op == "SCMP_CMP_LE") return SCMP_CMP_LE;
  if (op == "SCMP_CMP_EQ") return SCMP_CMP_EQ;
  if (op == "SCMP_CMP_GE") return SCMP_CMP_GE;
  if (op == "SCMP_CMP_GT") return SCMP_CMP_GT;
  if (op == "SCMP_CMP_MASKED_EQ") return SCMP_CMP_MASKED_EQ;
  return make_error(Code::kInvalidArgument, "unknown seccomp operator " + op);
}

Error seccomp_error(const std::string& what, int rc) {
  return Error{Code::kInvalidArgument, -rc, what + ": " + strerror(-rc)};
}

Status add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const oci::SeccompSyscall& call) {
  std::vector<scmp_arg_cmp> cmps;
  bool repeated_index = false;
  for (auto& a : call.args) {
    BERTH_TRY_ASSIGN(scmp_compare op, op_of(a.op));
    for (auto& c : cmps)
      if (c.arg == a.index) repeated_index = true;
    cmps.push_back(SCMP_CMP(a.index, op, a.value, a.value_two));
  }
  // libseccomp cannot AND two tests of one argument; like runc, such tests become separate rules
  // (any of them matching).
  if (repeated_index) {
    for (auto& c : cmps) {
      int rc = seccomp_rule_add_exact_array(ctx, action, nr, 1, &c);
      if (rc != 0 && rc != -EEXIST) rc = seccomp_rule_add_array(ctx, action, nr, 1, &c);
      if (rc != 0) return seccomp_error("seccomp rule for " + call.names[0], rc);
    }
    return ok_status();
  }
  int rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(cmps.size()),
                                  cmps.empty() ? nullptr : cmps.data());
  if (rc != 0) return seccomp_error("seccomp rule for " + call.names[0], rc);
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<SeccompFilter>> SeccompFilter::build(const oci::Seccomp& sc) {
  BERTH_TRY_ASSIGN(uint32_t def, action_of(sc.default_action, sc.default_errno_ret));
  scmp_filter_ctx ctx = seccomp_init(def);
  if (!ctx) return make_error(Code::kInvalidArgument, "seccomp_init failed");
  std::unique_ptr<SeccompFilter> filter(new SeccompFilter(ctx));
  // no_new_privs is process.noNewPrivileges' business, not libseccomp's.
  seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
  for (auto& f : sc.flags) {
    if (f == "SECCOMP_FILTER_FLAG_LOG") seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
    if (f == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
  }
  for (auto& a : sc.architectures) {
    std::string name = a.rfind("SCMP_ARCH_", 0) == 0 ? a.substr(10) : a;
    for (auto& c : name) c = static_cast<char>(tolower(c));
    uint32_t arch = seccomp_arch_resolve_name(name.c_str());
    if (arch == 0) return make_error(Code::kInvalidArgument, "unknown seccomp architecture " + a);
    int rc = seccomp_arch_add(ctx, arch);
    if (rc != 0 && rc != -EEXIST) return seccomp_error("seccomp architecture " + a, rc);
  }
  for (auto& call : sc.syscalls) {
    BERTH_TRY_ASSIGN(uint32_t action, action_of(call.action, call.errno_ret));
    if (action == def) continue;  // libseccomp refuses rules that repeat the default
    for (auto& name : call.names) {
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;  // newer than libseccomp (or this arch): skipped
      oci::SeccompSyscall one = call;
      one.names = {name};
      BERTH_TRY(add_rule(ctx, action, nr, one));
    }
  }
  return filter;
}

SeccompFilter::~SeccompFilter() { seccomp_release(static_cast<scmp_filter_ctx>(ctx_)); }

Status SeccompFilter::load() {
  int rc = seccomp_load(static_cast<scmp_filter_ctx>(ctx_));
  if (rc != 0)
    return Error{code_from_errno(-rc), -rc, std::string("load seccomp filter: ") + strerror(-rc)};
  return ok_status();
}

}  // namespace berth::runtime
