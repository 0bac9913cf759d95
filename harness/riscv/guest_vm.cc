// SPDX-License-Identifier: MIT
// Setting up a VM: memory and vCPUs, then a payload's image, device tree and entry state.
#include "riscv/guest_vm.h"

#include "core/run_loop.h"
#include "riscv/guest_abi.h"
#include "riscv/guest_fdt.h"

namespace kvmct::riscv {

Result<GuestVm> GuestVm::create(const KvmSystem& kvm, unsigned vcpus, RegNamer reg_namer) {
  if (vcpus == 0 || vcpus > KVMCT_MAX_HARTS)
    return Error{EINVAL, std::to_string(vcpus) + " vCPUs: the guest runtime has stacks for 1 to " +
                             std::to_string(KVMCT_MAX_HARTS)};
  Result<Vm> vm = kvm.create_vm(std::move(reg_namer));
  if (!vm) return vm.error();
  Result<GuestMemory> memory = GuestMemory::create(KVMCT_RAM_BASE, KVMCT_RAM_SIZE);
  if (!memory) return memory.error();
  if (Status s = memory->map_into(*vm, 0); !s) return s.error();
  GuestVm guest(std::move(*vm), std::move(*memory));
  for (unsigned i = 0; i < vcpus; i++) {
    Result<Vcpu> vcpu = guest.vm_.create_vcpu(i);
    if (!vcpu) return vcpu.error();
    guest.vcpus_.push_back(std::move(*vcpu));
  }
  return guest;
}

Status GuestVm::load(const GuestPayload& payload, const IsaExtNamer& namer) {
  const std::string what = "guest payload " + std::string(payload.name);
  if (payload.bytes.size() > KVMCT_IMAGE_MAX)
    return Error{E2BIG, what + ": image of " + std::to_string(payload.bytes.size()) + " bytes exceeds KVMCT_IMAGE_MAX"};
  if (Status s = memory_.write(KVMCT_RAM_BASE, payload.bytes); !s) return s;
  Result<std::vector<std::string>> isa = enabled_isa_extensions(vcpus_[0], namer);
  if (!isa) return isa.error();
  isa_extensions_ = std::move(*isa);
  Result<std::vector<uint8_t>> fdt = build_guest_fdt({KVMCT_RAM_BASE, KVMCT_RAM_SIZE, vcpu_count(), isa_extensions_});
  if (!fdt) return fdt.error();
  if (fdt->size() > KVMCT_FDT_SIZE) return Error{E2BIG, what + ": device tree larger than KVMCT_FDT_SIZE"};
  if (Status s = memory_.write(KVMCT_FDT_GPA, *fdt); !s) return s;
  // vCPU 0 is runnable from creation; the others start stopped (kvm_arch_vcpu_postcreate()).
  if (Status s = set_entry(vcpus_[0], 0); !s) return s;
  payload_name_ = std::string(payload.name);
  return Ok{};
}

Status GuestVm::set_entry(Vcpu& vcpu, unsigned hartid) {
  const std::pair<CoreReg, uint64_t> regs[] = {
      {CoreReg::Pc, KVMCT_RAM_BASE}, {CoreReg::A0, hartid}, {CoreReg::A1, KVMCT_FDT_GPA}};
  for (const auto& [reg, value] : regs)
    if (Status s = vcpu.set_reg(RegId::core(reg).raw(), value); !s) return s;
  return Ok{};
}

Status GuestVm::set_params(std::span<const uint8_t> bytes) {
  return memory_.write_block(KVMCT_PARAMS_GPA, KVMCT_PARAMS_SIZE, bytes, "the parameter block KVMCT_PARAMS_SIZE");
}

GuestRun GuestVm::run(const RunOptions& options) {
  static const SbiChannel channel;
  return run_guest({payload_name_, vcpus_, memory_, channel, RegId::core(CoreReg::Pc).raw()}, options);
}

}  // namespace kvmct::riscv
