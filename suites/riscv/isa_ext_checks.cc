// SPDX-License-Identifier: MIT
// Shared ISA_EXT suite helpers.
#include "isa_ext_checks.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "riscv/guest_abi.h"
#include "riscv/vcpu_exit.h"

namespace kvmct {
namespace {

constexpr uint32_t kEcall = 0x00000073;
constexpr uint32_t kJumpToSelf = 0x0000006f;  // j .
// An SBI extension id in the experimental range, forwarded to userspace (docs/hypercall.md).
constexpr uint64_t kFirstRunEid = 0x08000000;
// Where counting readable MULTI words stops: 512 ids, far past any kernel's.
constexpr uint32_t kMaxMultiWords = 8;

}  // namespace

bool present_on(Vcpu& vcpu, const Extension& ext) { return riscv::IsaExtRegister(vcpu, ext.id).get().ok(); }

namespace {

// A VM kept for the life of the process, with the vCPU the shared checks use.
Result<Vcpu*> keep(Result<riscv::GuestVm> vm, bool run) {
  if (!vm) return vm.error();
  static std::vector<std::unique_ptr<riscv::GuestVm>> kept;
  kept.push_back(std::make_unique<riscv::GuestVm>(std::move(*vm)));
  riscv::GuestVm& k = *kept.back();
  if (run)
    if (Status s = run_once(k); !s) return s.error();
  return &k.vcpu(0);
}

}  // namespace

Result<Vcpu*> pristine_vcpu() {
  static Result<Vcpu*> vcpu = keep(context().fresh_vm(1), false);
  return vcpu;
}

Result<Vcpu*> ran_once_vcpu() {
  static Result<Vcpu*> vcpu = keep(context().fresh_vm(1), true);
  return vcpu;
}

uint32_t multi_words(Vcpu& vcpu) {
  uint32_t n = 0;
  while (n < kMaxMultiWords && vcpu.get_reg(riscv::RegId::isa_multi_en(n).raw())) ++n;
  return n;
}

uint32_t kernel_id_end(Vcpu& vcpu) {
  return std::max(multi_words(vcpu) * riscv::RegId::kBitsPerMultiWord, context().catalogue().max_id() + 33);
}

std::map<uint32_t, uint64_t> present_values(Vcpu& vcpu) {
  std::map<uint32_t, uint64_t> out;
  const uint32_t end = kernel_id_end(vcpu);
  for (uint32_t id = 0; id < end; ++id)
    if (Result<uint64_t> v = riscv::IsaExtRegister(vcpu, id).get()) out[id] = *v;
  return out;
}

Status run_once(riscv::GuestVm& vm) {
  const uint32_t code[] = {kEcall, kJumpToSelf};
  if (Status s = vm.memory().write(KVMCT_RAM_BASE, {reinterpret_cast<const uint8_t*>(code), sizeof code}); !s)
    return s;
  using riscv::CoreReg;
  using riscv::RegId;
  Vcpu& vcpu = vm.vcpu(0);
  if (Status s = vcpu.set_reg(RegId::core(CoreReg::Pc).raw(), KVMCT_RAM_BASE); !s) return s;
  if (Status s = vcpu.set_reg(RegId::core(CoreReg::A7).raw(), kFirstRunEid); !s) return s;
  if (Status s = vcpu.run(); !s) return s;
  const riscv::VcpuExit exit = riscv::decode_exit(*vcpu.state());
  const riscv::SbiCall* sbi = std::get_if<riscv::SbiCall>(&exit);
  if (!sbi || sbi->extension != kFirstRunEid)
    return Error{0, "first KVM_RUN: expected the SBI call of extension " + hex(kFirstRunEid) + ", got " +
                        riscv::to_string(exit)};
  return Ok{};
}

}  // namespace kvmct
