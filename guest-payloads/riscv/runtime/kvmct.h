/* SPDX-License-Identifier: MIT */
/* The guest runtime's interface for payloads: per-hart state, hypercalls (docs/hypercall.md),
 * catching an expected trap around one instruction, starting other harts through SBI HSM. */
#ifndef KVMCT_RUNTIME_H
#define KVMCT_RUNTIME_H

#include "guest_abi.h"

/* Byte offsets into struct kvmct_hart, shared with entry.S. */
#define KVMCT_HART_ID 0
#define KVMCT_HART_FIXUP 8
#define KVMCT_HART_TRAPPED 16
#define KVMCT_HART_CAUSE 24
#define KVMCT_HART_TVAL 32
#define KVMCT_HART_EPC 40
#define KVMCT_HART_SIZE 64

#define KVMCT_STR2(x) #x
#define KVMCT_STR(x) KVMCT_STR2(x)

/* Brackets one instruction in inline assembly that may trap: if it does, the trap handler
 * records scause/stval/sepc in the hart's state and resumes after the instruction instead
 * of reporting an unexpected trap. Clobbers t0. The bracketed instruction must not be
 * compressed (the payloads build it with .option norvc) and must be the only one. */
#define KVMCT_TRAP_BEGIN \
  "la t0, 1f\n\t" \
  "sd t0, " KVMCT_STR(KVMCT_HART_FIXUP) "(tp)\n\t"
#define KVMCT_TRAP_END \
  "\n1:\tsd zero, " KVMCT_STR(KVMCT_HART_FIXUP) "(tp)\n\t"

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

struct kvmct_hart {
  uint64_t id;
  uint64_t fixup;    /* resume address while a trap is expected, else 0 */
  uint64_t trapped;  /* set by the trap handler when it used fixup */
  uint64_t cause, tval, epc;
  uint64_t reserved[2];
};
_Static_assert(offsetof(struct kvmct_hart, fixup) == KVMCT_HART_FIXUP, "entry.S offsets");
_Static_assert(offsetof(struct kvmct_hart, trapped) == KVMCT_HART_TRAPPED, "entry.S offsets");
_Static_assert(offsetof(struct kvmct_hart, cause) == KVMCT_HART_CAUSE, "entry.S offsets");
_Static_assert(offsetof(struct kvmct_hart, tval) == KVMCT_HART_TVAL, "entry.S offsets");
_Static_assert(offsetof(struct kvmct_hart, epc) == KVMCT_HART_EPC, "entry.S offsets");
_Static_assert(sizeof(struct kvmct_hart) == KVMCT_HART_SIZE, "entry.S offsets");

/* The calling hart's state; entry.S keeps it in tp, which gcc never allocates. */
static inline struct kvmct_hart* kvmct_self(void) {
  struct kvmct_hart* h;
  __asm__("mv %0, tp" : "=r"(h));
  return h;
}

/* The payload's entry point, called on every hart with its id and the device tree.
 * Its return value is the hart's FINISH status. */
long kvmct_main(unsigned long hartid, const void* fdt);

/* The host-written parameter block at KVMCT_PARAMS_GPA (layout defined by each payload). */
#define KVMCT_PARAMS(type) ((volatile type*)(uintptr_t)KVMCT_PARAMS_GPA)

struct sbiret {
  long error;
  long value;
};
struct sbiret kvmct_ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                          unsigned long a2, unsigned long a3, unsigned long a4);

void kvmct_puts(const char* s);
void kvmct_report(const char* name, uint64_t value);
void kvmct_check_failed(const char* file, int line, const char* expr, uint64_t actual, uint64_t expected);
__attribute__((noreturn)) void kvmct_finish(long status);

/* A guest-side sanity check; the verdict on the instruction under test is the host's. */
#define KVMCT_CHECK_EQ(actual, expected)                                                     \
  do {                                                                                        \
    uint64_t a_ = (uint64_t)(actual), e_ = (uint64_t)(expected);                              \
    if (a_ != e_) kvmct_check_failed(__FILE__, __LINE__, #actual " == " #expected, a_, e_);   \
  } while (0)

/* Clears the record of the last expected trap before an instruction bracketed with
 * KVMCT_TRAP_BEGIN/END. */
static inline void kvmct_trap_clear(void) {
  struct kvmct_hart* h = kvmct_self();
  h->trapped = h->cause = h->tval = h->epc = 0;
}

/* SBI HSM hart_start: the hart enters the payload at _start with a0 = hartid, a1 = opaque. */
struct sbiret kvmct_hart_start(unsigned long hartid, const void* fdt);

/* Adds 1 to *p with an LR/SC loop of the constrained form (unprivileged spec, "Eventual
 * success of store-conditional": at most 16 base integer instructions, no other memory
 * access in between), so forward progress is guaranteed. Returns how many SCs failed. */
static inline uint64_t kvmct_lrsc_increment(volatile uint64_t* p) {
  uint64_t tmp, status, failures;
  __asm__ volatile(
      "li %2, -1\n"
      "1:\taddi %2, %2, 1\n\t"
      "lr.d %0, (%3)\n\t"
      "addi %0, %0, 1\n\t"
      "sc.d %1, %0, (%3)\n\t"
      "bnez %1, 1b"
      : "=&r"(tmp), "=&r"(status), "=&r"(failures) : "r"(p) : "memory");
  return failures;
}

#endif /* !__ASSEMBLER__ */
#endif
