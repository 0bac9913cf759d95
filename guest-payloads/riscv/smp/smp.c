/* SPDX-License-Identifier: MIT */
/* Atomicity across harts: hart 0 starts harts 1..N-1 with SBI HSM, all meet at a barrier,
 * then each performs M amoadd.w, M amoadd.d and M LR/SC increments on shared counters and M
 * increments of a plain counter under an amoswap spinlock. Hart 0 waits for all and reports
 * the totals; every hart reports the interleaving it saw (failed SCs, lock spins, and AMO
 * results that were not its own previous result plus one). */
#include "kvmct.h"

struct smp_params {
  uint64_t harts;
  uint64_t iterations;
};

static volatile uint32_t arrived, departed, lock;
static volatile uint32_t counter_w;
static volatile uint64_t counter_d __attribute__((aligned(64)));
static volatile uint64_t counter_lrsc __attribute__((aligned(64)));
static volatile uint64_t counter_plain __attribute__((aligned(64)));

static uint32_t amoadd_w(volatile uint32_t* p, uint32_t v) {
  uint32_t old;
  __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  return old;
}

static void worker(uint64_t harts, uint64_t iterations) {
  uint64_t amo_gaps = 0, sc_failures = 0, lock_spins = 0;

  amoadd_w(&arrived, 1);
  while (arrived < harts) {
  }

  uint32_t prev = 0;
  for (uint64_t i = 0; i < iterations; i++) {
    const uint32_t old = amoadd_w(&counter_w, 1);
    if (i && old != prev + 1) amo_gaps++;
    prev = old;
  }
  uint64_t prev_d = 0;
  for (uint64_t i = 0; i < iterations; i++) {
    uint64_t old;
    __asm__ volatile("amoadd.d %0, %2, (%1)" : "=r"(old) : "r"(&counter_d), "r"(1ull) : "memory");
    if (i && old != prev_d + 1) amo_gaps++;
    prev_d = old;
  }
  for (uint64_t i = 0; i < iterations; i++) sc_failures += kvmct_lrsc_increment(&counter_lrsc);
  for (uint64_t i = 0; i < iterations; i++) {
    uint32_t held;
    for (;;) {
      __asm__ volatile("amoswap.w.aq %0, %2, (%1)" : "=r"(held) : "r"(&lock), "r"(1) : "memory");
      if (!held) break;
      lock_spins++;
      while (lock) {
      }
    }
    counter_plain = counter_plain + 1; /* ordinary load and store, guarded by the lock */
    __asm__ volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(&lock) : "memory");
  }

  kvmct_report("amo_gaps", amo_gaps);
  kvmct_report("sc_failures", sc_failures);
  kvmct_report("lock_spins", lock_spins);
  amoadd_w(&departed, 1);
}

long kvmct_main(unsigned long hartid, const void* fdt) {
  volatile struct smp_params* p = KVMCT_PARAMS(struct smp_params);
  const uint64_t harts = p->harts, iterations = p->iterations;
  if (hartid == 0) {
    for (unsigned long h = 1; h < harts; h++) {
      struct sbiret r = kvmct_hart_start(h, fdt);
      KVMCT_CHECK_EQ(r.error, 0);
    }
  }
  worker(harts, iterations);
  if (hartid != 0) return 0;
  while (departed < harts) {
  }
  kvmct_report("counter_w", counter_w);
  kvmct_report("counter_d", counter_d);
  kvmct_report("counter_lrsc", counter_lrsc);
  kvmct_report("counter_plain", counter_plain);
  return 0;
}
