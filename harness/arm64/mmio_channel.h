// SPDX-License-Identifier: MIT
// The arm64 guest channel: a guest call is a 64-bit store of the address of a struct
// kvmct_call (guest_abi.h) to KVMCT_CHANNEL_GPA, which KVM reports as KVM_EXIT_MMIO; the
// host reads the call block from guest RAM and writes its status back into it.
#pragma once

#include <cstdint>
#include <string>

#include "core/guest_channel.h"

namespace kvmct::arm64 {

// A call block as read from guest RAM.
struct CallBlock {
  uint64_t gpa = 0;  // where it lies, to answer into
  uint64_t function = 0;
  uint64_t args[6] = {};
};

// The guest call in a call block: ENOSYS unknown function, EFAULT a string outside guest
// RAM, EINVAL an over-long one (MmioChannel answers those with call_status_for()).
Result<GuestCall> decode_call(const CallBlock& block, const GuestMemory& memory);
int64_t call_status_for(const Error& error);
// "ESR 0x2000000 (EC 0x0 unknown reason) at ELR 0x80000010, FAR 0x0, vector 0x200"
std::string describe_trap(uint64_t esr, uint64_t elr, uint64_t far, uint64_t vector);
// The name of an ESR_ELx exception class (Arm ARM D24.2.40), e.g. 0x15 "SVC in AArch64".
std::string exception_class_name(uint32_t ec);

class MmioChannel final : public GuestChannel {
 public:
  std::optional<Result<GuestCall>> decode(const kvm_run& run, const GuestMemory& memory) const override;
  void answer(kvm_run& run, GuestMemory& memory, const Status& outcome) const override;
  std::string describe_exit(const kvm_run& run) const override;
};

}  // namespace kvmct::arm64
