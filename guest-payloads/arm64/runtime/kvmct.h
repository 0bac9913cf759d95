/* SPDX-License-Identifier: MIT */
/* The arm64 guest runtime's interface for payloads: the channel calls (docs/hypercall.md)
 * and the checks built on them. Every vCPU enters kvmct_main at EL1 with the MMU off. */
#ifndef KVMCT_ARM64_RUNTIME_H
#define KVMCT_ARM64_RUNTIME_H

#include "guest_abi.h"

#ifndef __ASSEMBLER__
#include <stdint.h>

/* One guest call as the host reads it (guest_abi.h KVMCT_CALL_*). */
struct kvmct_call {
  uint64_t function;
  uint64_t args[KVMCT_CALL_ARGS];
  int64_t status; /* written by the host before the vCPU resumes */
};
_Static_assert(sizeof(struct kvmct_call) == KVMCT_CALL_SIZE, "guest_abi.h layout");
_Static_assert(__builtin_offsetof(struct kvmct_call, status) == KVMCT_CALL_STATUS_OFFSET, "guest_abi.h layout");

/* The payload's entry point, called on every vCPU with its index. Its return value is the
 * vCPU's FINISH status. */
long kvmct_main(unsigned long vcpu);

/* The host-written parameter block at KVMCT_PARAMS_GPA (layout defined by each payload). */
#define KVMCT_PARAMS(type) ((volatile type*)(uintptr_t)KVMCT_PARAMS_GPA)

/* Makes one call; returns the status the host wrote back. */
int64_t kvmct_call(struct kvmct_call* call);
void kvmct_puts(const char* s);
void kvmct_report(const char* name, uint64_t value);
void kvmct_check_failed(const char* file, int line, const char* expr, uint64_t actual, uint64_t expected);
__attribute__((noreturn)) void kvmct_finish(long status);
/* Called by the vector stubs of entry.S; never returns. */
__attribute__((noreturn)) void kvmct_unexpected_trap(uint64_t esr, uint64_t elr, uint64_t far, uint64_t vector);

/* A guest-side sanity check; the verdict is the host's. */
#define KVMCT_CHECK_EQ(actual, expected)                                                   \
  do {                                                                                      \
    uint64_t a_ = (uint64_t)(actual), e_ = (uint64_t)(expected);                            \
    if (a_ != e_) kvmct_check_failed(__FILE__, __LINE__, #actual " == " #expected, a_, e_); \
  } while (0)

#endif
#endif
