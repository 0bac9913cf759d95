/* SPDX-License-Identifier: MIT */
/* Cross-VM isolation of atomics. Every hart of this VM increments the counters at
 * KVMCT_ISOLATION_GPA by `stride` with the op's instructions (isolation_ops.h) while another
 * VM does the same at the same guest-physical address. The host starts each counter at this
 * VM's base, whose residue mod stride (and, where the width allows, top byte) differs between
 * the two VMs, so every value an AMO, LR or AMOCAS returns must lie in this VM's own sequence;
 * a value outside it came from the other VM. Each hart reports how many such values it saw
 * and the first one. The LR exit op checks that an exit to userspace breaks a reservation. */
#include "kvmct.h"
#include "isolation_ops.h"

enum {
#define KVMCT_ISOLATION_OP_NUMBER(name, ext, w0, w1) OP_##name,
  KVMCT_ISOLATION_OPS(KVMCT_ISOLATION_OP_NUMBER)
#undef KVMCT_ISOLATION_OP_NUMBER
};
static const unsigned op_widths[][KVMCT_ISOLATION_SLOTS] = {
#define KVMCT_ISOLATION_OP_WIDTHS(name, ext, w0, w1) {w0, w1},
    KVMCT_ISOLATION_OPS(KVMCT_ISOLATION_OP_WIDTHS)
#undef KVMCT_ISOLATION_OP_WIDTHS
};

struct isolation_params {
  uint64_t op, harts, iterations, stride;
  uint64_t base[KVMCT_ISOLATION_SLOTS];
};

static volatile uint32_t arrived, go, departed;

static volatile void* slot(unsigned i) {
  return (volatile void*)(uintptr_t)(KVMCT_ISOLATION_GPA + i * KVMCT_ISOLATION_SLOT_BYTES);
}

static uint64_t mmio_load(uint64_t gpa) { return *(volatile uint64_t*)(uintptr_t)gpa; }

static uint64_t width_mask(unsigned width) { return width == 8 ? ~0ull : (1ull << (8 * width)) - 1; }

/* This VM's sequence in one slot: base + n * stride (mod 2^width) for n <= limit. */
struct sequence {
  uint64_t base, stride, mask, limit; /* limit 0: the width wraps, only the residue is checked */
  uint64_t foreign, first_foreign;
};

static void check(struct sequence* s, uint64_t value) {
  const uint64_t d = (value - s->base) & s->mask;
  if (d % s->stride == 0 && (!s->limit || d / s->stride <= s->limit)) return;
  if (!s->foreign++) s->first_foreign = value & s->mask;
}

static uint64_t amoadd(unsigned width, volatile void* p, uint64_t v) {
  uint64_t old;
  switch (width) {
    case 1:
      __asm__ volatile(".option push\n\t.option arch, +zabha\n\tamoadd.b %0, %2, (%1)\n\t.option pop"
                       : "=r"(old) : "r"(p), "r"(v) : "memory");
      break;
    case 2:
      __asm__ volatile(".option push\n\t.option arch, +zabha\n\tamoadd.h %0, %2, (%1)\n\t.option pop"
                       : "=r"(old) : "r"(p), "r"(v) : "memory");
      break;
    case 4:
      __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
      break;
    default:
      __asm__ volatile("amoadd.d %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  }
  return old;
}

/* One LR/SC attempt to add v: *loaded = what LR read; returns SC's status (0 = stored). */
static uint64_t lrsc_add(unsigned width, volatile void* p, uint64_t v, uint64_t* loaded) {
  uint64_t old, sum, status;
  if (width == 4)
    __asm__ volatile("lr.w %0, (%3)\n\taddw %1, %0, %4\n\tsc.w %2, %1, (%3)"
                     : "=&r"(old), "=&r"(sum), "=&r"(status) : "r"(p), "r"(v) : "memory");
  else
    __asm__ volatile("lr.d %0, (%3)\n\tadd %1, %0, %4\n\tsc.d %2, %1, (%3)"
                     : "=&r"(old), "=&r"(sum), "=&r"(status) : "r"(p), "r"(v) : "memory");
  *loaded = old;
  return status;
}

/* AMOCAS: returns the value memory held; it stored `desired` iff that equals `expected`. */
static uint64_t amocas(unsigned width, volatile void* p, uint64_t expected, uint64_t desired) {
  uint64_t rd = expected;
  if (width == 4)
    __asm__ volatile(".option push\n\t.option arch, +zacas\n\tamocas.w %0, %2, (%1)\n\t.option pop"
                     : "+r"(rd) : "r"(p), "r"(desired) : "memory");
  else
    __asm__ volatile(".option push\n\t.option arch, +zacas\n\tamocas.d %0, %2, (%1)\n\t.option pop"
                     : "+r"(rd) : "r"(p), "r"(desired) : "memory");
  return rd;
}

static uint64_t plain_load(unsigned width, volatile void* p) {
  switch (width) {
    case 1: return *(volatile uint8_t*)p;
    case 2: return *(volatile uint16_t*)p;
    case 4: return *(volatile uint32_t*)p;
    default: return *(volatile uint64_t*)p;
  }
}

/* `iterations` increments of one slot; returns the contention this hart saw (AMO results that
 * were not its own previous result plus stride, failed SCs, failed AMOCAS). */
static uint64_t increments(uint64_t op, unsigned width, volatile void* p, uint64_t iterations, struct sequence* s) {
  uint64_t contention = 0, prev = 0, loaded;
  for (uint64_t i = 0; i < iterations; i++) {
    switch (op) {
      case OP_AmoAdd:
      case OP_Zabha: {
        const uint64_t old = amoadd(width, p, s->stride) & s->mask;
        check(s, old);
        if (i && old != ((prev + s->stride) & s->mask)) contention++;
        prev = old;
        break;
      }
      case OP_LrSc:
        while (lrsc_add(width, p, s->stride, &loaded)) {
          check(s, loaded);
          contention++;
        }
        check(s, loaded);
        break;
      case OP_Zacas: {
        uint64_t expected = plain_load(width, p) & s->mask;
        check(s, expected);
        for (;;) {
          const uint64_t old = amocas(width, p, expected, expected + s->stride) & s->mask;
          check(s, old);
          if (old == expected) break;
          contention++;
          expected = old;
        }
        break;
      }
    }
  }
  return contention;
}

static void worker(volatile struct isolation_params* p, unsigned long hartid) {
  const uint64_t op = p->op, harts = p->harts, iterations = p->iterations;
  amoadd(4, &arrived, 1);
  while (arrived < harts) {
  }
  if (hartid == 0) {
    /* Wait for the other VM to get here too, so both run their loops at the same time. */
    kvmct_report("together", mmio_load(KVMCT_ISOLATION_START));
    go = 1;
  }
  while (!go) {
  }
  uint64_t foreign = 0, first_foreign = 0, contention = 0;
  for (unsigned i = 0; i < KVMCT_ISOLATION_SLOTS; i++) {
    const unsigned width = op_widths[op][i];
    const uint64_t mask = width_mask(width);
    const uint64_t total = harts * iterations;
    /* The range check applies only where the whole run fits in the width without wrapping. */
    const uint64_t limit = width < 8 && total * p->stride > mask ? 0 : total;
    struct sequence s = {p->base[i] & mask, p->stride, mask, limit, 0, 0};
    contention += increments(op, width, slot(i), iterations, &s);
    if (s.foreign && !foreign) first_foreign = s.first_foreign;
    foreign += s.foreign;
  }
  kvmct_report("foreign", foreign);
  if (foreign) kvmct_report("first_foreign", first_foreign);
  kvmct_report("contention", contention);
  amoadd(4, &departed, 1);
}

/* LR, then an exit to userspace in which the host may write the word, then SC of LR's value
 * plus 1. Reports what LR read, SC's status and what memory holds afterwards. */
static void lr_exit(unsigned width, volatile void* p) {
  uint64_t old, status;
  const uint64_t exit_gpa = KVMCT_ISOLATION_LR_EXIT;
  uint64_t scratch;
  if (width == 4)
    __asm__ volatile("lr.w %0, (%3)\n\tld %2, 0(%4)\n\taddiw %2, %0, 1\n\tsc.w %1, %2, (%3)"
                     : "=&r"(old), "=&r"(status), "=&r"(scratch) : "r"(p), "r"(exit_gpa) : "memory");
  else
    __asm__ volatile("lr.d %0, (%3)\n\tld %2, 0(%4)\n\taddi %2, %0, 1\n\tsc.d %1, %2, (%3)"
                     : "=&r"(old), "=&r"(status), "=&r"(scratch) : "r"(p), "r"(exit_gpa) : "memory");
  kvmct_report("lr_value", old & width_mask(width));
  kvmct_report("sc_status", status);
  kvmct_report("memory", plain_load(width, p));
}

long kvmct_main(unsigned long hartid, const void* fdt) {
  volatile struct isolation_params* p = KVMCT_PARAMS(struct isolation_params);
  if (p->op == KVMCT_ISOLATION_LR_EXIT_OP) {
    lr_exit(4, slot(0));
    lr_exit(8, slot(1));
    return 0;
  }
  if (p->op >= sizeof op_widths / sizeof op_widths[0]) return 1;
  const uint64_t harts = p->harts;
  if (hartid == 0) {
    for (unsigned long h = 1; h < harts; h++) {
      struct sbiret r = kvmct_hart_start(h, fdt);
      KVMCT_CHECK_EQ(r.error, 0);
    }
  }
  worker(p, hartid);
  if (hartid != 0) return 0;
  while (departed < harts) {
  }
  mmio_load(KVMCT_ISOLATION_FINISH);
  for (unsigned i = 0; i < KVMCT_ISOLATION_SLOTS; i++) kvmct_report("final", plain_load(op_widths[p->op][i], slot(i)));
  return 0;
}
