/* SPDX-License-Identifier: MIT */
/* One AMO instruction over a list of vectors. op < AMO_CAS_BASE: a Zaamo/Zabha AMO (amo_ops),
 * vectors (memory, rs2); for each, store the 64-bit memory value at an aligned doubleword, run
 * the instruction on its low address, report "rd" and the whole doubleword as "mem" (so a
 * narrow AMO that touches other bytes shows). op = AMO_CAS_BASE + i: AMOCAS stub i (cas_ops),
 * vectors (memory, compare, swap), reported the same way; the .q stubs take 128-bit vectors
 * and report "rd_lo", "rd_hi", "mem_lo", "mem_hi". */
#include "kvmct.h"

#define AMO_CAS_BASE 256 /* suites/riscv/amo_test.cc kCasBase */

struct amo_params {
  uint64_t op;     /* index into amo_ops (amo_ops.S), or AMO_CAS_BASE + index into cas_ops */
  uint64_t count;  /* number of vectors */
  uint64_t words[]; /* count vectors of 2 (AMO), 3 (CAS) or 6 (CAS.Q) words */
};

extern char amo_ops[], amo_ops_end[], amo_names[], cas_ops[], cas_ops_end[], cas_names[];
typedef uint64_t (*amo_fn)(volatile uint64_t* addr, uint64_t rs2);
typedef uint64_t (*cas_fn)(volatile uint64_t* addr, uint64_t cmp, uint64_t swap);
typedef void (*cas_q_fn)(volatile uint64_t* addr, uint64_t* v);

static volatile uint64_t target[2] __attribute__((aligned(64)));

static long run_amo(volatile struct amo_params* p) {
  amo_fn fn = (amo_fn)(void*)(amo_ops + 8 * p->op);
  kvmct_puts(amo_names + 16 * p->op);
  for (uint64_t i = 0; i < p->count; i++) {
    target[0] = p->words[2 * i];
    uint64_t rd = fn(&target[0], p->words[2 * i + 1]);
    kvmct_report("rd", rd);
    kvmct_report("mem", target[0]);
  }
  return 0;
}

static long run_cas(volatile struct amo_params* p, uint64_t index) {
  const uint64_t cas_count = (uint64_t)(cas_ops_end - cas_ops) / 16;
  kvmct_puts(cas_names + 16 * index);
  if (index + 4 < cas_count) {
    cas_fn fn = (cas_fn)(void*)(cas_ops + 16 * index);
    for (uint64_t i = 0; i < p->count; i++) {
      volatile uint64_t* v = &p->words[3 * i];
      target[0] = v[0];
      uint64_t rd = fn(&target[0], v[1], v[2]);
      kvmct_report("rd", rd);
      kvmct_report("mem", target[0]);
    }
    return 0;
  }
  cas_q_fn fn = (cas_q_fn)(void*)(cas_ops + 16 * index);
  for (uint64_t i = 0; i < p->count; i++) {
    volatile uint64_t* v = &p->words[6 * i];
    uint64_t regs[6] = {v[2], v[3], v[4], v[5], 0, 0};
    target[0] = v[0];
    target[1] = v[1];
    fn(target, regs);
    kvmct_report("rd_lo", regs[4]);
    kvmct_report("rd_hi", regs[5]);
    kvmct_report("mem_lo", target[0]);
    kvmct_report("mem_hi", target[1]);
  }
  return 0;
}

long kvmct_main(unsigned long hartid, const void* fdt) {
  (void)hartid;
  (void)fdt;
  volatile struct amo_params* p = KVMCT_PARAMS(struct amo_params);
  const uint64_t ops = (uint64_t)(amo_ops_end - amo_ops) / 8;
  const uint64_t cas = (uint64_t)(cas_ops_end - cas_ops) / 16;
  if (p->op < ops) return run_amo(p);
  if (p->op >= AMO_CAS_BASE && p->op - AMO_CAS_BASE < cas) return run_cas(p, p->op - AMO_CAS_BASE);
  kvmct_check_failed(__FILE__, __LINE__, "op names an amo_ops or cas_ops stub", p->op, ops);
  return 1;
}
