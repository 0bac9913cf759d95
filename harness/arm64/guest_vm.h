// SPDX-License-Identifier: MIT
// The one way kvmct builds an arm64 VM: guest RAM as memslot 0 at KVMCT_RAM_BASE and N vCPUs
// initialised with KVM_ARM_VCPU_INIT on the preferred target (vCPUs 1.. powered off, PSCI 0.2,
// for the guest to start). load() puts a payload at KVMCT_RAM_BASE and vCPU 0 at its entry:
// pc = KVMCT_RAM_BASE, PSTATE = EL1h with D, A, I, F masked, x0 = the vCPU index, MMU off
// (KVM's reset state). run() drives the vCPUs through the common run loop and MMIO channel.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/guest_memory.h"
#include "core/guest_payload.h"
#include "core/guest_run.h"
#include "core/kvm.h"
#include "core/result.h"

namespace kvmct::arm64 {

// PSTATE at entry: M = EL1h (0b0101), D A I F = bits 9..6 (arch/arm64/include/uapi/asm/ptrace.h).
inline constexpr uint64_t kEntryPstate = 0x3c5;

class GuestVm {
 public:
  static Result<GuestVm> create(const KvmSystem& kvm, unsigned vcpus = 1);

  Status load(const GuestPayload& payload);

  Vm& vm() { return vm_; }
  GuestMemory& memory() { return memory_; }
  Vcpu& vcpu(unsigned index) { return vcpus_.at(index); }
  unsigned vcpu_count() const { return static_cast<unsigned>(vcpus_.size()); }

  // Writes the payload's parameter block at KVMCT_PARAMS_GPA.
  Status set_params(std::span<const uint8_t> bytes);

  GuestRun run(const RunOptions& options = {});

 private:
  GuestVm(Vm vm, GuestMemory memory) : vm_(std::move(vm)), memory_(std::move(memory)) {}
  Vm vm_;
  GuestMemory memory_;
  std::string payload_name_;  // empty until load()
  std::vector<Vcpu> vcpus_;
};

}  // namespace kvmct::arm64
