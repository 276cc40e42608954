// The cgroup v2 device allow-list as an eBPF program, assembled by hand (no libbpf): a few
// compares per rule, the shape runc's and crun's generators use.
#include <linux/bpf.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include <cstring>

#include "runtime/cgroups/cgroup_internal.h"

namespace berth::runtime {
namespace cgroup_internal {
namespace {

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst;
  i.src_reg = src;
  i.off = off;
  i.imm = imm;
  return i;
}

int access_bits(const std::string& access) {
  int bits = 0;
  for (char c : access.empty() ? std::string("rwm") : access) {
    if (c == 'r') bits |= BPF_DEVCG_ACC_READ;
    if (c == 'w') bits |= BPF_DEVCG_ACC_WRITE;
    if (c == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
  }
  return bits;
}

// One rule's block: falls through to "return allow" when every test matches, else jumps past.
std::vector<bpf_insn> rule_block(const oci::DeviceCgroup& d) {
  std::vector<bpf_insn> tests;
  constexpr uint8_t kJne = BPF_JMP | BPF_JNE | BPF_K;
  if (d.type == "c" || d.type == "b")
    tests.push_back(insn(kJne, 2, 0, 0, d.type == "c" ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK));
  int acc = access_bits(d.access);
  if (acc != (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)) {
    // The request must be a subset of the rule's access: (requested & ~acc) == 0.
    tests.push_back(insn(BPF_ALU | BPF_MOV | BPF_X, 1, 3, 0, 0));
    tests.push_back(insn(BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, ~acc));
    tests.push_back(insn(kJne, 1, 0, 0, 0));
  }
  bool all = d.type.empty() || d.type == "a";
  if (!all && d.major && *d.major >= 0)
    tests.push_back(insn(kJne, 4, 0, 0, static_cast<int32_t>(*d.major)));
  if (!all && d.minor && *d.minor >= 0)
    tests.push_back(insn(kJne, 5, 0, 0, static_cast<int32_t>(*d.minor)));
  std::vector<bpf_insn> out;
  int16_t n = static_cast<int16_t>(tests.size());
  for (int16_t i = 0; i < n; ++i) {
    bpf_insn t = tests[i];
    if ((t.code & 0x07) == BPF_JMP) t.off = static_cast<int16_t>(n - i - 1 + 2);  // past return
    out.push_back(t);
  }
  out.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, d.allow ? 1 : 0));
  out.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
  return out;
}

}  // namespace

Status attach_device_filter(const std::string& dir, const std::vector<oci::DeviceCgroup>& rules) {
  struct statfs fs {};
  if (::statfs(dir.c_str(), &fs) != 0) return sys_error("statfs " + dir);
  if (fs.f_type != CGROUP2_SUPER_MAGIC) return ok_status();
  constexpr uint8_t kLdxW = BPF_LDX | BPF_MEM | BPF_W;
  std::vector<bpf_insn> prog = {
      insn(kLdxW, 2, 1, 0, 0),                           // r2 = access_type
      insn(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff),  // r2 = device type
      insn(kLdxW, 3, 1, 0, 0),                           // r3 = access_type
      insn(BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16),      // r3 = requested access
      insn(kLdxW, 4, 1, 4, 0),                           // r4 = major
      insn(kLdxW, 5, 1, 8, 0),                           // r5 = minor
  };
  // Last match wins: test the rules from the end.
  // A rule that matches everything ends the program: the verifier rejects unreachable code.
  bool ended = false;
  for (auto it = rules.rbegin(); it != rules.rend() && !ended; ++it) {
    auto block = rule_block(*it);
    ended = block.size() == 2;
    prog.insert(prog.end(), block.begin(), block.end());
  }
  if (!ended) {
    prog.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
    prog.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
  }

  static char license[] = "Apache-2.0";
  union bpf_attr load {};
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = reinterpret_cast<uint64_t>(prog.data());
  load.insn_cnt = static_cast<uint32_t>(prog.size());
  load.license = reinterpret_cast<uint64_t>(license);
  UniqueFd prog_fd(static_cast<int>(::syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load))));
  if (!prog_fd) return sys_error("load the device cgroup eBPF program");
  UniqueFd cg(::open(dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!cg) return sys_error("open " + dir);
  union bpf_attr attach {};
  attach.target_fd = static_cast<uint32_t>(cg.get());
  attach.attach_bpf_fd = static_cast<uint32_t>(prog_fd.get());
  attach.attach_type = BPF_CGROUP_DEVICE;
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  if (::syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof(attach)) != 0)
    return sys_error("attach the device filter to " + dir);
  return ok_status();
}

}  // namespace cgroup_internal
}  // namespace berth::runtime
