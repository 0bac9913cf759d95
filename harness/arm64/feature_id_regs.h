/* SPDX-License-Identifier: MIT */
/* The AArch64 feature ID registers kvmct reads, as one X-macro list shared by the guest
 * payload (which MRSes each), the host (which MRSes each from EL0, emulated by the host
 * kernel) and ONE_REG (which names each by op0, op1, CRn, CRm, op2). Encodings: Arm ARM
 * D23.3 (the ID register space op0 = 3, op1 = 0, CRn = 0, CRm = 4..7) and
 * arch/arm64/include/asm/sysreg.h. X(NAME, op0, op1, crn, crm, op2). */
#ifndef KVMCT_ARM64_FEATURE_ID_REGS_H
#define KVMCT_ARM64_FEATURE_ID_REGS_H

#define KVMCT_FEATURE_ID_REGS(X)            \
  X(ID_AA64PFR0_EL1, 3, 0, 0, 4, 0)         \
  X(ID_AA64PFR1_EL1, 3, 0, 0, 4, 1)         \
  X(ID_AA64PFR2_EL1, 3, 0, 0, 4, 2)         \
  X(ID_AA64ZFR0_EL1, 3, 0, 0, 4, 4)         \
  X(ID_AA64SMFR0_EL1, 3, 0, 0, 4, 5)        \
  X(ID_AA64FPFR0_EL1, 3, 0, 0, 4, 7)        \
  X(ID_AA64DFR0_EL1, 3, 0, 0, 5, 0)         \
  X(ID_AA64DFR1_EL1, 3, 0, 0, 5, 1)         \
  X(ID_AA64AFR0_EL1, 3, 0, 0, 5, 4)         \
  X(ID_AA64AFR1_EL1, 3, 0, 0, 5, 5)         \
  X(ID_AA64ISAR0_EL1, 3, 0, 0, 6, 0)        \
  X(ID_AA64ISAR1_EL1, 3, 0, 0, 6, 1)        \
  X(ID_AA64ISAR2_EL1, 3, 0, 0, 6, 2)        \
  X(ID_AA64ISAR3_EL1, 3, 0, 0, 6, 3)        \
  X(ID_AA64MMFR0_EL1, 3, 0, 0, 7, 0)        \
  X(ID_AA64MMFR1_EL1, 3, 0, 0, 7, 1)        \
  X(ID_AA64MMFR2_EL1, 3, 0, 0, 7, 2)        \
  X(ID_AA64MMFR3_EL1, 3, 0, 0, 7, 3)        \
  X(ID_AA64MMFR4_EL1, 3, 0, 0, 7, 4)

#define KVMCT_COUNT_ID_REG(name, op0, op1, crn, crm, op2) +1
#define KVMCT_FEATURE_ID_REG_COUNT (0 KVMCT_FEATURE_ID_REGS(KVMCT_COUNT_ID_REG))

#endif
