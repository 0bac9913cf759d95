// SPDX-License-Identifier: MIT
// What one KVM_RUN of a RISC-V vCPU ended with: an SBI call or a CSR access KVM forwarded
// to userspace, or one of the common exits of core/vcpu_exit.h.
#pragma once

#include <linux/kvm.h>

#include <array>
#include <cstdint>
#include <string>

#include "core/vcpu_exit.h"

namespace kvmct::riscv {

// KVM_EXIT_RISCV_SBI: a7 = extension, a6 = function, a0..a5 = args.
struct SbiCall {
  uint64_t extension = 0;
  uint64_t function = 0;
  std::array<uint64_t, 6> args{};
};

// KVM_EXIT_RISCV_CSR: a CSR instruction KVM leaves to the VMM (vcpu_insn.c csr_insn(), e.g.
// the Zkr seed CSR); new_value and write_mask say what the instruction writes.
struct CsrAccess {
  uint64_t csr = 0;
  uint64_t new_value = 0;
  uint64_t write_mask = 0;
};

// The Zkr entropy source CSR (unprivileged spec, "seed").
constexpr uint64_t kSeedCsr = 0x015;

using VcpuExit = VcpuExitWith<SbiCall, CsrAccess>;

VcpuExit decode_exit(const kvm_run& run);
std::string to_string(const SbiCall& call);
std::string to_string(const CsrAccess& csr);
std::string to_string(const VcpuExit& exit);

// The reply to a forwarded SBI call: the guest sees a0 = error, a1 = value and resumes after
// its ecall on the next KVM_RUN (kvm_riscv_vcpu_sbi_return()).
void set_sbi_return(kvm_run& run, long error, long value);

}  // namespace kvmct::riscv
