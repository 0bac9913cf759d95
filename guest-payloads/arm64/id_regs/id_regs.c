/* SPDX-License-Identifier: MIT */
/* Reads every feature ID register of feature_id_regs.h with MRS at EL1 and reports each
 * under its name; the host compares them with KVM_GET_ONE_REG of the same vCPU. KVM traps
 * these reads (HCR_EL2.TID3) and answers with the VM's values. */
#include "feature_id_regs.h"
#include "kvmct.h"

long kvmct_main(unsigned long vcpu) {
  KVMCT_CHECK_EQ(vcpu, 0);
  /* The generic S<op0>_<op1>_C<n>_C<m>_<op2> spelling: older assemblers lack the newer names. */
#define KVMCT_REPORT_ID_REG(name, op0, op1, crn, crm, op2)                              \
  {                                                                                     \
    uint64_t v;                                                                         \
    __asm__ volatile("mrs %0, S" #op0 "_" #op1 "_C" #crn "_C" #crm "_" #op2 : "=r"(v)); \
    kvmct_report(#name, v);                                                             \
  }
  KVMCT_FEATURE_ID_REGS(KVMCT_REPORT_ID_REG)
#undef KVMCT_REPORT_ID_REG
  return 0;
}
