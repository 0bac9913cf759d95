/* SPDX-License-Identifier: MIT */
/* The contract between kvmct-suite and its guest payloads: guest memory layout, hart limits
 * and the hypercall numbers. Plain #defines so guest C, guest assembly and host C++ all
 * include this one file. docs/hypercall.md explains every value. */
#ifndef KVMCT_GUEST_ABI_H
#define KVMCT_GUEST_ABI_H

/* Guest-physical memory: one memslot of KVMCT_RAM_SIZE bytes at KVMCT_RAM_BASE, the QEMU
 * virt RAM base (a convention, not a KVM requirement). The guest runs with satp = 0, so
 * guest-virtual == guest-physical. */
#define KVMCT_RAM_BASE 0x80000000
#define KVMCT_RAM_SIZE 0x01000000              /* 16 MiB */
#define KVMCT_IMAGE_MAX 0x00100000             /* payload image, loaded at KVMCT_RAM_BASE */
#define KVMCT_PARAMS_GPA 0x80100000            /* host-written parameter block */
#define KVMCT_PARAMS_SIZE 0x00010000
#define KVMCT_FDT_GPA 0x80200000               /* device tree passed in a1 */
#define KVMCT_FDT_SIZE 0x00010000
/* A guest-physical address that no memslot covers: accesses there exit to the host or fail. */
#define KVMCT_UNMAPPED_GPA 0x40000000

#define KVMCT_MAX_HARTS 8
#define KVMCT_STACK_SIZE 0x4000

/* Hypercalls: SBI ecall with a7 = extension, a6 = function, arguments in a0..a5. The id lies
 * in the SBI experimental range 0x08000000-0x08FFFFFF, which KVM forwards to userspace as
 * KVM_EXIT_RISCV_SBI ("KCT" in the low 24 bits). */
#define KVMCT_SBI_EXT 0x084B4354
#define KVMCT_SBI_PUTS 0            /* a0 = string, a1 = length */
#define KVMCT_SBI_REPORT 1          /* a0 = NUL-terminated name, a1 = value */
#define KVMCT_SBI_CHECK_FAILED 2    /* a0 = file, a1 = line, a2 = expression, a3 = actual, a4 = expected */
#define KVMCT_SBI_FINISH 3          /* a0 = status, 0 = completed; the host does not resume the hart */
#define KVMCT_SBI_UNEXPECTED_TRAP 4 /* a0 = scause, a1 = sepc, a2 = stval; not resumed */

#define KVMCT_NAME_MAX 64    /* longest report name or file name, including the NUL */
#define KVMCT_PUTS_MAX 4096  /* longest string one PUTS carries */

/* SBI error codes the host returns in a0 (SBI spec, "Binary Encoding"). */
#define KVMCT_SBI_SUCCESS 0
#define KVMCT_SBI_ERR_NOT_SUPPORTED (-2)
#define KVMCT_SBI_ERR_INVALID_PARAM (-3)
#define KVMCT_SBI_ERR_INVALID_ADDRESS (-5)

/* SBI HSM (in-kernel in KVM): harts other than 0 start stopped; hart 0 starts them. */
#define KVMCT_SBI_EXT_HSM 0x48534D
#define KVMCT_SBI_HSM_HART_START 0

#endif
