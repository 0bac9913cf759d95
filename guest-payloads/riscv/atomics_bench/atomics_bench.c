/* SPDX-License-Identifier: MIT */
/* Atomic throughput (a bench, not a test): hart 0 starts harts 1..N-1 with SBI HSM, all meet
 * at a barrier, then each does M increments with one operation (amoadd.w, amoadd.d or an
 * LR/SC loop) on one shared word (contended) or on a word in its own cache line
 * (uncontended). Each hart reads the time CSR just before and after its loop and reports the
 * ticks; the host turns them into ops/s with the host device tree's timebase-frequency.
 * The guest times itself so that vCPU start-up, the barrier and the host's exits around the
 * run are left out: the number is the loop alone. */
#include "kvmct.h"

enum { OP_AMOADD_W = 0, OP_AMOADD_D = 1, OP_LRSC_D = 2 };

struct bench_params {
  uint64_t harts;
  uint64_t iterations;
  uint64_t op;          /* OP_* */
  uint64_t contended;   /* 1: one address for all harts; 0: one cache line each */
};

#define LINE 64
static volatile uint32_t arrived, departed;
/* Slot h at h * LINE: apart, no two harts share a line; contended, every hart uses slot 0. */
static volatile uint8_t slots[KVMCT_MAX_HARTS * LINE] __attribute__((aligned(LINE)));

static inline uint64_t rdtime(void) {
  uint64_t t;
  __asm__ volatile("rdtime %0" : "=r"(t));
  return t;
}

static void amoadd_w_loop(volatile uint32_t* p, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) __asm__ volatile("amoadd.w zero, %1, (%0)" : : "r"(p), "r"(1) : "memory");
}

static void amoadd_d_loop(volatile uint64_t* p, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) __asm__ volatile("amoadd.d zero, %1, (%0)" : : "r"(p), "r"(1ull) : "memory");
}

static uint64_t lrsc_loop(volatile uint64_t* p, uint64_t n) {
  uint64_t failures = 0;
  for (uint64_t i = 0; i < n; i++) failures += kvmct_lrsc_increment(p);
  return failures;
}

long kvmct_main(unsigned long hartid, const void* fdt) {
  volatile struct bench_params* p = KVMCT_PARAMS(struct bench_params);
  const uint64_t harts = p->harts, n = p->iterations, op = p->op, contended = p->contended;
  if (hartid == 0) {
    for (unsigned long h = 1; h < harts; h++) KVMCT_CHECK_EQ(kvmct_hart_start(h, fdt).error, 0);
  }
  volatile uint8_t* slot = &slots[contended ? 0 : hartid * LINE];

  __asm__ volatile("amoadd.w zero, %1, (%0)" : : "r"(&arrived), "r"(1) : "memory");
  while (arrived < harts) {
  }
  uint64_t sc_failures = 0;
  const uint64_t t0 = rdtime();
  if (op == OP_AMOADD_W) amoadd_w_loop((volatile uint32_t*)slot, n);
  else if (op == OP_AMOADD_D) amoadd_d_loop((volatile uint64_t*)slot, n);
  else sc_failures = lrsc_loop((volatile uint64_t*)slot, n);
  const uint64_t t1 = rdtime();
  kvmct_report("ticks", t1 - t0);
  kvmct_report("sc_failures", sc_failures);
  __asm__ volatile("amoadd.w zero, %1, (%0)" : : "r"(&departed), "r"(1) : "memory");

  if (hartid != 0) return 0;
  while (departed < harts) {
  }
  /* The totals, so the host can tell a bench whose increments were lost from a fast one. */
  uint64_t total = 0;
  for (uint64_t h = 0; h < (contended ? 1 : harts); h++) {
    volatile uint8_t* s = &slots[h * LINE];
    total += op == OP_AMOADD_W ? *(volatile uint32_t*)s : *(volatile uint64_t*)s;
  }
  kvmct_report("total", total);
  return 0;
}
