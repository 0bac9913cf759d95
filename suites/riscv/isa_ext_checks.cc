// SPDX-License-Identifier: MIT
// Shared ISA_EXT suite helpers.
#include "isa_ext_checks.h"

#include <cstring>
#include <memory>
#include <vector>

namespace kvmct {
namespace {

constexpr uint64_t kGuestBase = 0x80000000;  // QEMU virt's RAM base; any GPA would do
constexpr uint32_t kEcall = 0x00000073;
constexpr uint32_t kJumpToSelf = 0x0000006f;  // j .
// An SBI extension id in the experimental range, forwarded to userspace (docs/hypercall.md).
constexpr uint64_t kFirstRunEid = 0x08000000;

}  // namespace

bool present_on(Vcpu& vcpu, const Extension& ext) { return riscv::IsaExtRegister(vcpu, ext.id).get().ok(); }

namespace {

// A VM kept for the life of the process, with the vCPU the shared checks use.
Result<Vcpu*> keep(Result<FreshVm> vm, bool run) {
  if (!vm) return vm.error();
  static std::vector<std::unique_ptr<FreshVm>> kept;
  kept.push_back(std::make_unique<FreshVm>(std::move(*vm)));
  FreshVm& k = *kept.back();
  if (run)
    if (Status s = run_once(k, k.vcpus[0]); !s) return s.error();
  return &k.vcpus[0];
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

std::map<uint32_t, uint64_t> present_values(Vcpu& vcpu) {
  std::map<uint32_t, uint64_t> out;
  const uint32_t last = context().catalogue().max_id() + 32;
  for (uint32_t id = 0; id <= last; ++id)
    if (Result<uint64_t> v = riscv::IsaExtRegister(vcpu, id).get()) out[id] = *v;
  return out;
}

Status run_once(FreshVm& vm, Vcpu& vcpu) {
  Result<Mapping> ram = Mapping::anonymous(4096);
  if (!ram) return ram.error();
  const uint32_t code[] = {kEcall, kJumpToSelf};
  std::memcpy(ram->data(), code, sizeof code);
  if (Status s = vm.vm.set_memory(0, kGuestBase, *ram); !s) return s;
  using riscv::CoreReg;
  using riscv::RegId;
  if (Status s = vcpu.set_reg(RegId::core(CoreReg::Pc).raw(), kGuestBase); !s) return s;
  if (Status s = vcpu.set_reg(RegId::core(CoreReg::A7).raw(), kFirstRunEid); !s) return s;
  if (Status s = vcpu.run(); !s) return s;
  if (vcpu.state()->exit_reason != KVM_EXIT_RISCV_SBI)
    return Error{0, "first KVM_RUN: expected KVM_EXIT_RISCV_SBI, got exit reason " +
                        std::to_string(vcpu.state()->exit_reason)};
  // The memslot's memory must outlive the VM's use of it; the guest never runs again.
  static thread_local std::vector<Mapping> keep;
  keep.push_back(std::move(*ram));
  return Ok{};
}

}  // namespace kvmct
