/* SPDX-License-Identifier: MIT */
/* The guest side of the arm64 channel: a call block on the stack, its address stored with
 * one aligned 64-bit STR to KVMCT_CHANNEL_GPA (an MMIO exit), the host's status read back. */
#include "kvmct.h"

int64_t kvmct_call(struct kvmct_call* call) {
  volatile uint64_t* channel = (volatile uint64_t*)(uintptr_t)KVMCT_CHANNEL_GPA;
  call->status = KVMCT_CALL_ERR_NOT_SUPPORTED; /* stays so if no host answers */
  /* "str x, [x]": no writeback, no pair, so the abort carries a valid ISS and KVM emulates
   * it as KVM_EXIT_MMIO; the memory clobber orders the block's stores before it. */
  __asm__ volatile("str %0, [%1]" : : "r"((uint64_t)(uintptr_t)call), "r"(channel) : "memory");
  return ((volatile struct kvmct_call*)call)->status;
}

static uint64_t length(const char* s) {
  uint64_t n = 0;
  while (s[n]) n++;
  return n;
}

void kvmct_puts(const char* s) {
  struct kvmct_call c = {KVMCT_CALL_PUTS, {(uintptr_t)s, length(s)}, 0};
  kvmct_call(&c);
}

void kvmct_report(const char* name, uint64_t value) {
  struct kvmct_call c = {KVMCT_CALL_REPORT, {(uintptr_t)name, value}, 0};
  kvmct_call(&c);
}

void kvmct_check_failed(const char* file, int line, const char* expr, uint64_t actual, uint64_t expected) {
  struct kvmct_call c = {KVMCT_CALL_CHECK_FAILED, {(uintptr_t)file, (uint64_t)line, (uintptr_t)expr, actual, expected}, 0};
  kvmct_call(&c);
}

void kvmct_finish(long status) {
  struct kvmct_call c = {KVMCT_CALL_FINISH, {(uint64_t)status}, 0};
  for (;;) kvmct_call(&c); /* the host does not resume a finished vCPU */
}

void kvmct_unexpected_trap(uint64_t esr, uint64_t elr, uint64_t far, uint64_t vector) {
  struct kvmct_call c = {KVMCT_CALL_UNEXPECTED_TRAP, {esr, elr, far, vector}, 0};
  for (;;) kvmct_call(&c);
}
