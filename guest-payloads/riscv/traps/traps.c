/* SPDX-License-Identifier: MIT */
/* One faulting-access scenario per run (trap_scenarios.h), chosen by the host: an AMO, LR or SC
 * to a misaligned address in RAM, or any access to KVMCT_UNMAPPED_GPA. The access is bracketed
 * so a trap the guest receives is recorded rather than fatal; what KVM does instead (an MMIO
 * exit, a failing KVM_RUN) the host sees directly. The guest prints the scenario's name and
 * reports trapped/scause/stval/epc, the address, rd and memory. */
#include "kvmct.h"
#include "trap_scenarios.h"

struct trap_params {
  uint64_t scenario;
};

static volatile uint64_t buffer[2] __attribute__((aligned(64)));

#define UNMAPPED ((volatile void*)(uintptr_t)KVMCT_UNMAPPED_GPA)

/* rd = insn(rs2, addr) for AMOs and SC ("amoadd.w rd, rs2, (addr)"); rd keeps its old
 * value when the instruction traps. */
#define TRY_RRA(insn, addr, rs2, rd)                                                   \
  __asm__ volatile(".option push\n\t.option norvc\n\t" KVMCT_TRAP_BEGIN insn " %0, %2, (%1)" \
                   KVMCT_TRAP_END ".option pop"                                        \
                   : "+&r"(rd) : "r"(addr), "r"(rs2) : "t0", "memory")
/* rd = insn(addr) for LR ("lr.w rd, (addr)"). */
#define TRY_RA(insn, addr, rd)                                                          \
  __asm__ volatile(".option push\n\t.option norvc\n\t" KVMCT_TRAP_BEGIN insn " %0, (%1)" \
                   KVMCT_TRAP_END ".option pop"                                         \
                   : "+&r"(rd) : "r"(addr) : "t0", "memory")
/* A plain store ("sd value, 0(addr)"). */
#define TRY_STORE(insn, addr, value)                                                      \
  __asm__ volatile(".option push\n\t.option norvc\n\t" KVMCT_TRAP_BEGIN insn " %1, 0(%0)" \
                   KVMCT_TRAP_END ".option pop"                                           \
                   : : "r"(addr), "r"(value) : "t0", "memory")

/* An LR of the aligned word, so the SC that follows runs with a reservation held. */
#define RESERVE(lr) __asm__ volatile(lr " %0, (%1)" : "=r"(reserved) : "r"(buffer) : "memory")

enum {
#define SCENARIO_NUMBER(name, kind, where, access) SCENARIO_##name,
  KVMCT_TRAP_SCENARIOS(SCENARIO_NUMBER)
  SCENARIO_COUNT
};

#define SCENARIO_NAME(name, kind, where, access) #name,
static const char* const scenario_names[] = {KVMCT_TRAP_SCENARIOS(SCENARIO_NAME)};

long kvmct_main(unsigned long hartid, const void* fdt) {
  (void)hartid;
  (void)fdt;
  const uint64_t scenario = KVMCT_PARAMS(struct trap_params)->scenario;
  volatile char* base = (volatile char*)buffer;
  volatile void* w1 = base + 1; /* misaligned for .w */
  volatile void* d4 = base + 4; /* misaligned for .d, aligned for .w */
  const uint64_t v = 0x0123456789abcdefull;
  uint64_t rd = 0x5a5a5a5a5a5a5a5aull, reserved;
  volatile void* addr = 0;
  if (scenario >= SCENARIO_COUNT) {
    kvmct_check_failed(__FILE__, __LINE__, "scenario is known", scenario, SCENARIO_COUNT - 1);
    return 1;
  }
  /* The host asserts this name: a table out of step with trap_scenarios.h cannot pass. */
  kvmct_puts(scenario_names[scenario]);
  buffer[0] = 0x1111111111111111ull;
  buffer[1] = 0x2222222222222222ull;
  kvmct_trap_clear();
  switch (scenario) {
#define SCENARIO_CASE(name, kind, where, access) \
  case SCENARIO_##name:                          \
    addr = where;                                \
    access;                                      \
    break;
    KVMCT_TRAP_SCENARIOS(SCENARIO_CASE)
  }
  struct kvmct_hart* h = kvmct_self();
  kvmct_report("addr", (uint64_t)(uintptr_t)addr);
  kvmct_report("trapped", h->trapped);
  kvmct_report("scause", h->cause);
  kvmct_report("stval", h->tval);
  kvmct_report("epc", h->epc);
  kvmct_report("rd", rd);
  kvmct_report("mem0", buffer[0]);
  kvmct_report("mem1", buffer[1]);
  return 0;
}
