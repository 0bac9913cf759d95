// SPDX-License-Identifier: MIT
// The RISC-V guest channel: kvmct's calls are SBI ecalls in the experimental extension range
// (guest_abi.h, docs/hypercall.md), forwarded by KVM as KVM_EXIT_RISCV_SBI and answered
// with an SBI error code in a0.
#pragma once

#include <cstdint>

#include "core/guest_channel.h"
#include "core/guest_memory.h"
#include "core/result.h"
#include "riscv/vcpu_exit.h"

namespace kvmct::riscv {

bool is_kvmct_hypercall(const SbiCall& call);
// Fails with ENOSYS for an unknown function, EFAULT for a string outside guest RAM and
// EINVAL for an over-long one; the channel answers those with sbi_error_for(error).
Result<GuestCall> decode_hypercall(const SbiCall& call, const GuestMemory& memory);
long sbi_error_for(const Error& error);
// "store/AMO address misaligned (scause 0x6) at sepc 0x…, stval 0x…"
std::string describe_trap(uint64_t scause, uint64_t sepc, uint64_t stval);

class SbiChannel final : public GuestChannel {
 public:
  std::optional<Result<GuestCall>> decode(const kvm_run& run, const GuestMemory& memory) const override;
  void answer(kvm_run& run, GuestMemory& memory, const Status& outcome) const override;
  std::string describe_exit(const kvm_run& run) const override;
};

}  // namespace kvmct::riscv
