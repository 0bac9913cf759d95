/* SPDX-License-Identifier: MIT */
/* The isolation payload's contract with suites/riscv/atomic_isolation_test.cc: where the
 * counters live, the MMIO addresses the guest exits through, and every increment loop once:
 * X(name, extension it needs or "", width of slot 0, width of slot 1), expanded by
 * isolation.c into op numbers and by the host into the AtomicIsolation cases. */
#ifndef KVMCT_ISOLATION_OPS_H
#define KVMCT_ISOLATION_OPS_H

/* KVMCT_UNMAPPED_GPA below comes from guest_abi.h, which every includer has already included. */

/* The same guest-physical page in every VM: outside the image, parameter block and device
 * tree, so nothing else touches it. Slot 1 is one cache line after slot 0. */
#define KVMCT_ISOLATION_GPA 0x80400000
#define KVMCT_ISOLATION_SLOT_BYTES 64
#define KVMCT_ISOLATION_SLOTS 2

/* MMIO exits (no memslot covers KVMCT_UNMAPPED_GPA): the host answers each on the vCPU's
 * thread while the vCPU is in userspace. */
#define KVMCT_ISOLATION_START (KVMCT_UNMAPPED_GPA + 0x00)  /* load: 1 once both VMs are here */
#define KVMCT_ISOLATION_FINISH (KVMCT_UNMAPPED_GPA + 0x08) /* load: this VM's loops are done */
#define KVMCT_ISOLATION_LR_EXIT (KVMCT_UNMAPPED_GPA + 0x10) /* load between LR and SC */

#define KVMCT_ISOLATION_OPS(X) \
  X(AmoAdd, "", 4, 8) \
  X(LrSc, "", 4, 8) \
  X(Zacas, "ZACAS", 4, 8) \
  X(Zabha, "ZABHA", 1, 2)

/* Op numbers past the list: LR, exit to userspace through KVMCT_ISOLATION_LR_EXIT, SC, on
 * slot 0 with lr.w/sc.w, then on slot 1 with lr.d/sc.d. */
#define KVMCT_ISOLATION_LR_EXIT_OP 64

/* The parameter block at KVMCT_PARAMS_GPA. */
#define KVMCT_ISOLATION_PARAM_WORDS (4 + KVMCT_ISOLATION_SLOTS)
/* words: op, harts, iterations, stride, base[slot] (the value the host wrote into the slot) */

#endif
