// SPDX-License-Identifier: MIT
// What one KVM_RUN of a RISC-V vCPU ended with, decoded from struct kvm_run into a value:
// an SBI call KVM forwarded, an MMIO access, a system event, or any other exit reason.
#pragma once

#include <linux/kvm.h>

#include <array>
#include <cstdint>
#include <string>
#include <variant>

namespace kvmct::riscv {

// KVM_EXIT_RISCV_SBI: a7 = extension, a6 = function, a0..a5 = args.
struct SbiCall {
  uint64_t extension = 0;
  uint64_t function = 0;
  std::array<uint64_t, 6> args{};
};

// KVM_EXIT_MMIO: a load or store to a guest-physical address no memslot covers.
struct MmioAccess {
  uint64_t gpa = 0;
  uint32_t len = 0;
  bool is_write = false;
  uint64_t data = 0;  // the stored value when is_write
};

// KVM_EXIT_SYSTEM_EVENT: e.g. SBI SRST shutdown or reset.
struct SystemEvent {
  uint32_t type = 0;
};

struct UnknownExit {
  uint32_t reason = 0;
};

using VcpuExit = std::variant<SbiCall, MmioAccess, SystemEvent, UnknownExit>;

VcpuExit decode_exit(const kvm_run& run);
std::string to_string(const VcpuExit& exit);

// The reply to a forwarded SBI call: the guest sees a0 = error, a1 = value and resumes after
// its ecall on the next KVM_RUN (kvm_riscv_vcpu_sbi_return()).
void set_sbi_return(kvm_run& run, long error, long value);
// The value a trapped MMIO load reads, written to rd on the next KVM_RUN.
void set_mmio_load(kvm_run& run, uint64_t value);


}  // namespace kvmct::riscv
