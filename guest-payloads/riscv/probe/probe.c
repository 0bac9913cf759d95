/* SPDX-License-Identifier: MIT */
/* Execution truth: runs one probe, named by the host in the parameter block, under the trap
 * handler. A probe is one or more instructions, each bracketed on its own; the payload reports
 * "steps", "executed" (how many ran without a trap) and, for the first step that trapped,
 * "scause" and "stval". sstatus.FS and .VS are set first so F/D/V are gated only by what KVM
 * sets in the HS-level sstatus (vcpu_fp.c, vcpu_vector.c). The probes are listed once, in
 * probe_list.h; expected/riscv/isa-probes.yaml names the probe per extension. */
#include "kvmct.h"
#include "probe_list.h"

struct probe_params {
  char name[KVMCT_PROBE_NAME_MAX];
};

static uint64_t buf[16] __attribute__((aligned(64)));
static uint64_t steps, executed, first_cause, first_tval;
static int trapped_once;

static void note_step(void) {
  struct kvmct_hart* h = kvmct_self();
  steps++;
  if (!h->trapped) {
    executed++;
  } else if (!trapped_once) {
    trapped_once = 1;
    first_cause = h->cause;
    first_tval = h->tval;
  }
}

/* One bracketed instruction (or a short sequence whose last instruction is the probe), with
 * a0 = &buf and the extension named for the assembler only inside this statement. */
#define STEP(arch, text)                                                                        \
  do {                                                                                         \
    kvmct_trap_clear();                                                                        \
    __asm__ volatile(".option push\n\t.option arch, " arch "\n\tmv a0, %0\n\t" KVMCT_TRAP_BEGIN \
                     text KVMCT_TRAP_END ".option pop"                                         \
                     :                                                                         \
                     : "r"(buf)                                                                \
                     : "t0", "a0", "a1", "a2", "a3", "a4", "a5", "ft0", "ft1", "fa0", "fa1",    \
                       "fa2", "memory");                                                        \
    note_step();                                                                               \
  } while (0)

/* Vector probes: vsetivli is a step of its own (it is the V probe and traps when V is off). */
#define VSTEP(arch, vtype, text) \
  STEP("+v", "vsetivli zero, " vtype);   \
  STEP("+v," arch, text)

/* SBI FWFT (SBI 3.0 "Firmware Features"): a feature KVM gates in henvcfg stays off until the guest
 * asks (7.3 vcpu_sbi_fwft.c: landing pad -> LPE, shadow stack -> SSE, refused when the vCPU lacks
 * the extension). The answer is reported for people; the step after it is what is judged. */
#define KVMCT_SBI_EXT_FWFT 0x46574654
#define KVMCT_SBI_FWFT_SET 0
#define KVMCT_FWFT_SHADOW_STACK 2
static void fwft_enable(unsigned long feature) {
  struct sbiret r = kvmct_ecall(KVMCT_SBI_EXT_FWFT, KVMCT_SBI_FWFT_SET, feature, 1, 0, 0, 0);
  kvmct_report("fwft_error", (uint64_t)r.error);
}

/* The probes (probe_list.h): one function each, and the table the host's name selects from. */
#define PROBE_FUNCTION(id, body) \
  static void probe_##id(void) { body; }
KVMCT_PROBES(PROBE_FUNCTION)

#define PROBE_ENTRY(id, body) {#id, probe_##id},
static const struct {
  const char* name;
  void (*run)(void);
} probes[] = {KVMCT_PROBES(PROBE_ENTRY)};

static int same(const volatile char* a, const char* b) {
  for (unsigned i = 0; i < sizeof(((struct probe_params*)0)->name); i++) {
    if (a[i] != b[i]) return 0;
    if (!b[i]) return 1;
  }
  return 0;
}

long kvmct_main(unsigned long hartid, const void* fdt) {
  (void)hartid;
  (void)fdt;
  volatile struct probe_params* p = KVMCT_PARAMS(struct probe_params);
  /* sstatus.FS = Initial (bits 14:13 = 01), sstatus.VS = Initial (bits 10:9 = 01). */
  __asm__ volatile("li t0, (1 << 13) | (1 << 9)\n\tcsrs sstatus, t0" ::: "t0");
  for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
    if (!same(p->name, probes[i].name)) continue;
    kvmct_puts(probes[i].name);
    probes[i].run();
    kvmct_report("steps", steps);
    kvmct_report("executed", executed);
    if (trapped_once) {
      kvmct_report("scause", first_cause);
      kvmct_report("stval", first_tval);
    }
    return 0;
  }
  kvmct_check_failed(__FILE__, __LINE__, "the probe named by the host exists", 0, 1);
  return 1;
}
