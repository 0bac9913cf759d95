/* SPDX-License-Identifier: MIT */
/* Starting another vCPU with PSCI CPU_ON over HVC (KVM implements PSCI in the kernel for a
 * vCPU initialised with KVM_ARM_VCPU_PSCI_0_2). */
#include "kvmct.h"

#define PSCI_0_2_FN64_CPU_ON 0xC4000003UL

void _start(void);

int64_t kvmct_cpu_on(uint64_t vcpu) {
  register uint64_t x0 __asm__("x0") = PSCI_0_2_FN64_CPU_ON;
  register uint64_t x1 __asm__("x1") = vcpu;                 /* target MPIDR: Aff0 = index */
  register uint64_t x2 __asm__("x2") = (uint64_t)(uintptr_t)_start;  /* entry point */
  register uint64_t x3 __asm__("x3") = vcpu;                 /* context id: x0 at entry */
  __asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
  return (int64_t)x0;
}
