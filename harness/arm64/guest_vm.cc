// SPDX-License-Identifier: MIT
// Setting up an arm64 VM: memory, initialised vCPUs, a payload image and its entry state.
#include "arm64/guest_vm.h"

#include <cerrno>

#include "arm64/arm_ioctls.h"
#include "arm64/guest_abi.h"
#include "arm64/mmio_channel.h"
#include "arm64/reg_id.h"
#include "core/run_loop.h"

namespace kvmct::arm64 {

Result<GuestVm> GuestVm::create(const KvmSystem& kvm, unsigned vcpus) {
  if (vcpus == 0 || vcpus > KVMCT_MAX_VCPUS)
    return Error{EINVAL, std::to_string(vcpus) + " vCPUs: the guest runtime has stacks for 1 to " +
                             std::to_string(KVMCT_MAX_VCPUS)};
  Result<Vm> vm = kvm.create_vm(reg_name);
  if (!vm) return vm.error();
  Result<GuestMemory> memory = GuestMemory::create(KVMCT_RAM_BASE, KVMCT_RAM_SIZE);
  if (!memory) return memory.error();
  if (Status s = memory->map_into(*vm, 0); !s) return s.error();
  Result<kvm_vcpu_init> target = preferred_target(*vm);
  if (!target) return target.error();
  GuestVm guest(std::move(*vm), std::move(*memory));
  for (unsigned i = 0; i < vcpus; i++) {
    Result<Vcpu> vcpu = guest.vm_.create_vcpu(i);
    if (!vcpu) return vcpu.error();
    // Secondaries wait powered off until the guest starts them with PSCI CPU_ON.
    const kvm_vcpu_init init = i == 0 ? with_features(*target, {KVM_ARM_VCPU_PSCI_0_2})
                                      : with_features(*target, {KVM_ARM_VCPU_PSCI_0_2, KVM_ARM_VCPU_POWER_OFF});
    if (Status s = vcpu_init(*vcpu, init); !s) return s.error();
    guest.vcpus_.push_back(std::move(*vcpu));
  }
  return guest;
}

Status GuestVm::load(const GuestPayload& payload) {
  const std::string what = "guest payload " + std::string(payload.name);
  if (payload.bytes.size() > KVMCT_IMAGE_MAX)
    return Error{E2BIG, what + ": image of " + std::to_string(payload.bytes.size()) + " bytes exceeds KVMCT_IMAGE_MAX"};
  if (Status s = memory_.write(KVMCT_RAM_BASE, payload.bytes); !s) return s;
  const std::pair<CoreReg, uint64_t> regs[] = {
      {CoreReg::Pc, KVMCT_RAM_BASE}, {CoreReg::Pstate, kEntryPstate}, {CoreReg::X0, 0}};
  for (const auto& [reg, value] : regs)
    if (Status s = vcpus_[0].set_reg(core_reg_id(reg), value); !s) return s;
  payload_name_ = std::string(payload.name);
  return Ok{};
}

Status GuestVm::set_params(std::span<const uint8_t> bytes) {
  return memory_.write_block(KVMCT_PARAMS_GPA, KVMCT_PARAMS_SIZE, bytes, "the parameter block KVMCT_PARAMS_SIZE");
}

GuestRun GuestVm::run(const RunOptions& options) {
  static const MmioChannel channel;
  return run_guest({payload_name_, vcpus_, memory_, channel, core_reg_id(CoreReg::Pc)}, options);
}

}  // namespace kvmct::arm64
