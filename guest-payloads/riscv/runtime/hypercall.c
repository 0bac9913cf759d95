/* SPDX-License-Identifier: MIT */
/* Hypercall helpers: one SBI ecall each, numbers and arguments from docs/hypercall.md. */
#include "kvmct.h"

struct sbiret kvmct_ecall(unsigned long ext, unsigned long fid, unsigned long arg0, unsigned long arg1,
                          unsigned long arg2, unsigned long arg3, unsigned long arg4) {
  register unsigned long a0 __asm__("a0") = arg0;
  register unsigned long a1 __asm__("a1") = arg1;
  register unsigned long a2 __asm__("a2") = arg2;
  register unsigned long a3 __asm__("a3") = arg3;
  register unsigned long a4 __asm__("a4") = arg4;
  register unsigned long a6 __asm__("a6") = fid;
  register unsigned long a7 __asm__("a7") = ext;
  __asm__ volatile("ecall"
                   : "+r"(a0), "+r"(a1)
                   : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7)
                   : "memory");
  return (struct sbiret){(long)a0, (long)a1};
}

static unsigned long length(const char* s) {
  unsigned long n = 0;
  while (s[n]) n++;
  return n;
}

void kvmct_puts(const char* s) {
  kvmct_ecall(KVMCT_SBI_EXT, KVMCT_SBI_PUTS, (unsigned long)s, length(s), 0, 0, 0);
}

void kvmct_report(const char* name, uint64_t value) {
  kvmct_ecall(KVMCT_SBI_EXT, KVMCT_SBI_REPORT, (unsigned long)name, value, 0, 0, 0);
}

void kvmct_check_failed(const char* file, int line, const char* expr, uint64_t actual, uint64_t expected) {
  kvmct_ecall(KVMCT_SBI_EXT, KVMCT_SBI_CHECK_FAILED, (unsigned long)file, (unsigned long)line,
              (unsigned long)expr, actual, expected);
}

void kvmct_finish(long status) {
  kvmct_ecall(KVMCT_SBI_EXT, KVMCT_SBI_FINISH, (unsigned long)status, 0, 0, 0, 0);
  for (;;) __asm__ volatile("wfi");
}

struct sbiret kvmct_hart_start(unsigned long hartid, const void* fdt) {
  extern char _start[];
  return kvmct_ecall(KVMCT_SBI_EXT_HSM, KVMCT_SBI_HSM_HART_START, hartid, (unsigned long)_start,
                     (unsigned long)fdt, 0, 0);
}
