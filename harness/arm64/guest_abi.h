/* SPDX-License-Identifier: MIT */
/* The contract between kvmct-suite and its arm64 guest payloads: guest memory layout, vCPU
 * limits and the MMIO channel. Plain #defines so guest C, guest assembly and host C++ all
 * include this one file. docs/hypercall.md explains every value. */
#ifndef KVMCT_ARM64_GUEST_ABI_H
#define KVMCT_ARM64_GUEST_ABI_H

/* Guest-physical memory: one memslot of KVMCT_RAM_SIZE bytes at KVMCT_RAM_BASE (QEMU virt's
 * RAM base is 0x40000000; any base inside the default 40-bit IPA space works). The guest
 * runs with the MMU off, so guest-virtual == guest-physical and data accesses are Device
 * memory: every access must be aligned (the payloads are built with -mstrict-align). */
#define KVMCT_RAM_BASE 0x80000000
#define KVMCT_RAM_SIZE 0x01000000              /* 16 MiB */
#define KVMCT_IMAGE_MAX 0x00100000             /* payload image, loaded at KVMCT_RAM_BASE */
#define KVMCT_PARAMS_GPA 0x80100000            /* host-written parameter block */
#define KVMCT_PARAMS_SIZE 0x00010000

#define KVMCT_MAX_VCPUS 8
#define KVMCT_STACK_SIZE 0x4000

/* The channel: a guest call is one aligned 64-bit STR (no writeback, no pair: KVM needs a
 * valid ISS to emulate it) of the guest-physical address of a struct kvmct_call to
 * KVMCT_CHANNEL_GPA, which no memslot covers, so KVM exits with KVM_EXIT_MMIO (as the KVM
 * selftests' lib/arm64/ucall.c does). The host reads the block from guest RAM, writes
 * `status` back into it and resumes the vCPU after the store. */
#define KVMCT_CHANNEL_GPA 0x10000000
/* Any other unbacked address, for payloads that want an MMIO exit the channel does not own. */
#define KVMCT_UNMAPPED_GPA 0x20000000

#define KVMCT_CALL_PUTS 0            /* args: string, length */
#define KVMCT_CALL_REPORT 1          /* args: NUL-terminated name, value */
#define KVMCT_CALL_CHECK_FAILED 2    /* args: file, line, expression, actual, expected */
#define KVMCT_CALL_FINISH 3          /* args: status, 0 = completed; the vCPU is not resumed */
#define KVMCT_CALL_UNEXPECTED_TRAP 4 /* args: ESR_EL1, ELR_EL1, FAR_EL1, vector offset; not resumed */

#define KVMCT_CALL_ARGS 6
/* struct kvmct_call { u64 function; u64 args[KVMCT_CALL_ARGS]; u64 status; }: 8-byte aligned. */
#define KVMCT_CALL_SIZE (8 * (2 + KVMCT_CALL_ARGS))
#define KVMCT_CALL_STATUS_OFFSET (8 * (1 + KVMCT_CALL_ARGS))

/* status the host writes back (the SBI error codes' values, so both runtimes read alike). */
#define KVMCT_CALL_SUCCESS 0
#define KVMCT_CALL_ERR_NOT_SUPPORTED (-2)
#define KVMCT_CALL_ERR_INVALID_PARAM (-3)
#define KVMCT_CALL_ERR_INVALID_ADDRESS (-5)

#define KVMCT_NAME_MAX 64    /* longest report name or file name, including the NUL */
#define KVMCT_PUTS_MAX 4096  /* longest string one PUTS carries */

#endif
