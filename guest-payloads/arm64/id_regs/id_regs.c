/* SPDX-License-Identifier: MIT */
/* Reads every feature ID register of feature_id_regs.h with MRS at EL1 and reports each
 * under its name; the host compares them with what it wrote and with KVM_GET_ONE_REG. KVM
 * traps these reads (HCR_EL2.TID3) and answers with the VM's values. params[0] = n vCPUs
 * (0 reads as 1): vCPU 0 starts vCPUs 1..n-1 with PSCI CPU_ON and each reports its own reads,
 * so the host sees what every vCPU's guest reads; vCPU 0 finishes after the others reported. */
#include "feature_id_regs.h"
#include "kvmct.h"

static volatile uint64_t reported[KVMCT_MAX_VCPUS];

static void report_id_regs(void) {
  /* The generic S<op0>_<op1>_C<n>_C<m>_<op2> spelling: older assemblers lack the newer names. */
#define KVMCT_REPORT_ID_REG(name, op0, op1, crn, crm, op2)                              \
  {                                                                                     \
    uint64_t v;                                                                         \
    __asm__ volatile("mrs %0, S" #op0 "_" #op1 "_C" #crn "_C" #crm "_" #op2 : "=r"(v)); \
    kvmct_report(#name, v);                                                             \
  }
  KVMCT_FEATURE_ID_REGS(KVMCT_REPORT_ID_REG)
#undef KVMCT_REPORT_ID_REG
}

long kvmct_main(unsigned long vcpu) {
  const uint64_t p = KVMCT_PARAMS(uint64_t)[0];
  const uint64_t n = p == 0 ? 1 : p;
  report_id_regs();
  if (vcpu != 0) {
    reported[vcpu] = 1; /* each vCPU owns its word: no exclusives on Device memory */
    return 0;
  }
  if (n > KVMCT_MAX_VCPUS) {
    kvmct_check_failed(__FILE__, __LINE__, "n <= KVMCT_MAX_VCPUS", n, KVMCT_MAX_VCPUS);
    return 1;
  }
  for (uint64_t i = 1; i < n; i++) {
    const int64_t status = kvmct_cpu_on(i);
    if (status != 0) {
      kvmct_check_failed(__FILE__, __LINE__, "kvmct_cpu_on(i) == PSCI_SUCCESS", (uint64_t)status, 0);
      return 1;
    }
  }
  uint64_t done = 0;
  while (done < n - 1) {
    done = 0;
    for (uint64_t i = 1; i < n; i++) done += reported[i];
  }
  return 0;
}
