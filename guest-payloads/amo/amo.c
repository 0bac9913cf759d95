/* SPDX-License-Identifier: MIT */
/* One Zaamo instruction over a list of (memory, rs2) vectors. For each vector: store the
 * 64-bit memory value at an aligned doubleword, run the instruction on its low address,
 * report "rd" and the whole doubleword as "mem" (so a .w that touches the upper word shows). */
#include "kvmct.h"

struct amo_vector {
  uint64_t mem;
  uint64_t rs2;
};
struct amo_params {
  uint64_t op;     /* index into amo_ops (amo_ops.S) */
  uint64_t count;  /* number of vectors */
  struct amo_vector vectors[];
};

extern char amo_ops[], amo_ops_end[], amo_names[];
typedef uint64_t (*amo_fn)(volatile uint64_t* addr, uint64_t rs2);

static volatile uint64_t target __attribute__((aligned(64)));

long kvmct_main(unsigned long hartid, const void* fdt) {
  (void)hartid;
  (void)fdt;
  volatile struct amo_params* p = KVMCT_PARAMS(struct amo_params);
  const uint64_t ops = (uint64_t)(amo_ops_end - amo_ops) / 8;
  if (p->op >= ops) {
    kvmct_check_failed(__FILE__, __LINE__, "op < number of amo_ops", p->op, ops);
    return 1;
  }
  kvmct_puts(amo_names + 16 * p->op);
  amo_fn fn = (amo_fn)(void*)(amo_ops + 8 * p->op);
  for (uint64_t i = 0; i < p->count; i++) {
    target = p->vectors[i].mem;
    uint64_t rd = fn(&target, p->vectors[i].rs2);
    kvmct_report("rd", rd);
    kvmct_report("mem", target);
  }
  return 0;
}
