/* SPDX-License-Identifier: MIT */
/* One LR/SC scenario per run (lrsc_scenarios.h), chosen by the host; the guest prints the
 * scenario's name and reports what the instructions returned and what memory holds. Every LR
 * and its SC sit in one asm block: a hypercall or compiler-placed access between them would
 * spoil the test. */
#include "kvmct.h"
#include "lrsc_scenarios.h"

struct lrsc_params {
  uint64_t scenario;
  uint64_t iterations;  /* ConstrainedLoop */
};

/* Two doublewords in different 4 KiB pages: SC to the second after LR of the first targets
 * an address outside any reservation set QEMU or a cache-line-sized implementation keeps. */
static volatile uint64_t word __attribute__((aligned(4096)));
static volatile uint64_t other __attribute__((aligned(4096)));
static volatile uint64_t scratch __attribute__((aligned(64)));

#define LR_SC(lr, sc, addr, value, loaded, status)                                \
  __asm__ volatile(lr " %0, (%2)\n\t" sc " %1, %3, (%2)"                          \
                   : "=&r"(loaded), "=&r"(status) : "r"(addr), "r"(value) : "memory")

static void pair(int dword, int variant) {
  uint64_t loaded = 0, status = 0;
  word = 0xa5a5a5a511111111ull;
  const uint64_t value = 0x0123456722222222ull;
  /* variant 0: plain, 1: lr.aq + sc.rl, 2: lr.aqrl + sc.aqrl */
  if (!dword) {
    if (variant == 0) LR_SC("lr.w", "sc.w", &word, value, loaded, status);
    if (variant == 1) LR_SC("lr.w.aq", "sc.w.rl", &word, value, loaded, status);
    if (variant == 2) LR_SC("lr.w.aqrl", "sc.w.aqrl", &word, value, loaded, status);
  } else {
    if (variant == 0) LR_SC("lr.d", "sc.d", &word, value, loaded, status);
    if (variant == 1) LR_SC("lr.d.aq", "sc.d.rl", &word, value, loaded, status);
    if (variant == 2) LR_SC("lr.d.aqrl", "sc.d.aqrl", &word, value, loaded, status);
  }
  kvmct_report("lr", loaded);
  kvmct_report("sc", status);
  kvmct_report("mem", word);
}

/* SC with no LR since the last SC: the first SC (on another doubleword) clears whatever
 * reservation the hart may hold; the second must fail and store nothing. */
static void no_reservation(int dword) {
  uint64_t first, status;
  word = 0xa5a5a5a511111111ull;
  if (!dword)
    __asm__ volatile("sc.w %0, zero, (%2)\n\tsc.w %1, %3, (%4)"
                     : "=&r"(first), "=&r"(status) : "r"(&scratch), "r"(0x22222222ull), "r"(&word) : "memory");
  else
    __asm__ volatile("sc.d %0, zero, (%2)\n\tsc.d %1, %3, (%4)"
                     : "=&r"(first), "=&r"(status) : "r"(&scratch), "r"(0x22222222ull), "r"(&word) : "memory");
  kvmct_report("sc", status);
  kvmct_report("mem", word);
}

/* LR, then an ordinary store by the same hart to the reserved word, then SC. */
static void own_store(void) {
  uint64_t loaded, status;
  word = 0x11111111ull;
  __asm__ volatile("lr.w %0, (%2)\n\tsw %4, 0(%2)\n\tsc.w %1, %3, (%2)"
                   : "=&r"(loaded), "=&r"(status)
                   : "r"(&word), "r"(0x22222222ull), "r"(0x33333333ull)
                   : "memory");
  kvmct_report("sc", status);
  kvmct_report("mem", word);
}

static void other_address(void) {
  uint64_t loaded, status;
  word = 0x11111111ull;
  other = 0x44444444ull;
  __asm__ volatile("lr.w %0, (%2)\n\tsc.w %1, %3, (%4)"
                   : "=&r"(loaded), "=&r"(status) : "r"(&word), "r"(0x22222222ull), "r"(&other) : "memory");
  kvmct_report("sc", status);
  kvmct_report("mem", word);
  kvmct_report("other", other);
}

static void sign_extension(void) {
  static const uint32_t values[] = {0x80000000u, 0xffffffffu, 0x7fffffffu, 0x00000001u};
  for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
    uint64_t loaded;
    word = 0xa5a5a5a500000000ull | values[i];
    __asm__ volatile("lr.w %0, (%1)" : "=r"(loaded) : "r"(&word) : "memory");
    kvmct_report("lr", loaded);
  }
}

/* The constrained loop of the spec ("Eventual success of store-conditional"): LR, add, SC,
 * branch back, only base integer instructions, no other memory access in between. */
static void constrained_loop(uint64_t iterations) {
  uint64_t retries = 0;
  word = 0;
  for (uint64_t i = 0; i < iterations; i++) retries += kvmct_lrsc_increment(&word);
  kvmct_report("mem", word);
  kvmct_report("retries", retries);
}

enum {
#define SCENARIO_NUMBER(name, run) SCENARIO_##name,
  KVMCT_LRSC_SCENARIOS(SCENARIO_NUMBER)
  SCENARIO_COUNT
};

#define SCENARIO_NAME(name, run) #name,
static const char* const scenario_names[] = {KVMCT_LRSC_SCENARIOS(SCENARIO_NAME)};

long kvmct_main(unsigned long hartid, const void* fdt) {
  (void)hartid;
  (void)fdt;
  volatile struct lrsc_params* p = KVMCT_PARAMS(struct lrsc_params);
  if (p->scenario >= SCENARIO_COUNT) {
    kvmct_check_failed(__FILE__, __LINE__, "scenario is known", p->scenario, SCENARIO_COUNT - 1);
    return 1;
  }
  /* The host asserts this name: a table out of step with lrsc_scenarios.h cannot pass. */
  kvmct_puts(scenario_names[p->scenario]);
  switch (p->scenario) {
#define SCENARIO_CASE(name, run) \
  case SCENARIO_##name:          \
    run;                         \
    break;
    KVMCT_LRSC_SCENARIOS(SCENARIO_CASE)
  }
  return 0;
}
