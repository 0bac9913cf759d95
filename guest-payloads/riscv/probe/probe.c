/* SPDX-License-Identifier: MIT */
/* Execution truth: runs one probe, named by the host in the parameter block, under the trap
 * handler. A probe is one or more instructions, each bracketed on its own; the payload reports
 * "steps", "executed" (how many ran without a trap) and, for the first step that trapped,
 * "scause" and "stval". sstatus.FS and .VS are set first so F/D/V are gated only by what KVM
 * sets in the HS-level sstatus (vcpu_fp.c, vcpu_vector.c). expected/riscv/isa-probes.yaml names the
 * probe per extension. */
#include "kvmct.h"

struct probe_params {
  char name[32];
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

#define PROBE(id, body) \
  static void probe_##id(void) { body; }

PROBE(amoadd_w, STEP("+a", "amoadd.w a1, a1, (a0)"))
PROBE(lr_sc_w, STEP("+a", "lr.w a1, (a0)"); STEP("+a", "sc.w a2, a1, (a0)"))
PROBE(amoadd_b, STEP("+zabha", "amoadd.b a1, a1, (a0)"))
PROBE(amocas_w, STEP("+zacas", "amocas.w a1, a2, (a0)"))
/* lw.aq (Zalasr): binutils 2.44 lacks zalasr; AMO opcode, funct3 010, funct5 00110, aq = 1. */
PROBE(lw_aq, STEP("+a", ".insn r 0x2f, 0x2, 0x1a, a1, a0, x0"))
PROBE(c_addi, STEP("+c", "c.addi a1, 1"))
PROBE(c_not, STEP("+zcb", "c.not a1"))
PROBE(c_fld, STEP("+zcd", "c.fld fa0, 0(a0)"))
PROBE(c_mop_1, STEP("+zcmop", "c.mop.1"))
PROBE(add, STEP("+m", "add a1, a1, a2"))
PROBE(mul, STEP("+m", "mul a1, a1, a2"))
PROBE(fadd_s, STEP("+f", "fadd.s fa0, fa1, fa2"))
PROBE(fadd_d, STEP("+d", "fadd.d fa0, fa1, fa2"))
PROBE(fadd_h, STEP("+zfh", "fadd.h fa0, fa1, fa2"))
PROBE(fcvt_s_h, STEP("+zfhmin", "fcvt.s.h fa0, fa1"))
PROBE(fli_s, STEP("+zfa", "fli.s fa0, 1.0"))
PROBE(fcvt_bf16_s, STEP("+zfbfmin", "fcvt.bf16.s fa0, fa1"))
PROBE(hlv_b, STEP("+h", "hlv.b a1, (a0)"))
PROBE(csrr_stimecmp, STEP("+sstc", "csrr a1, stimecmp"))
PROBE(sinval_vma, STEP("+svinval", "sinval.vma zero, zero"))
PROBE(pause, STEP("+zihintpause", "pause"))
PROBE(ntl_all, STEP("+zihintntl", "ntl.all"))
PROBE(prefetch_r, STEP("+zicbop", "prefetch.r 0(a0)"))
PROBE(cbo_clean_flush_inval,
      STEP("+zicbom", "cbo.clean (a0)"); STEP("+zicbom", "cbo.flush (a0)"); STEP("+zicbom", "cbo.inval (a0)"))
PROBE(cbo_zero, STEP("+zicboz", "cbo.zero (a0)"))
PROBE(clz, STEP("+zbb", "clz a1, a1"))
PROBE(sh1add, STEP("+zba", "sh1add a1, a1, a2"))
PROBE(bset, STEP("+zbs", "bset a1, a1, a2"))
PROBE(clmulr, STEP("+zbc", "clmulr a1, a1, a2"))
PROBE(clmulh, STEP("+zbkc", "clmulh a1, a1, a2"))
PROBE(pack, STEP("+zbkb", "pack a1, a1, a2"))
PROBE(xperm8, STEP("+zbkx", "xperm8 a1, a1, a2"))
PROBE(aes64ds, STEP("+zknd", "aes64ds a1, a1, a2"))
PROBE(aes64es, STEP("+zkne", "aes64es a1, a1, a2"))
PROBE(sha256sig0, STEP("+zknh", "sha256sig0 a1, a1"))
PROBE(sm4ed, STEP("+zksed", "sm4ed a1, a1, a2, 0"))
PROBE(sm3p0, STEP("+zksh", "sm3p0 a1, a1"))
PROBE(csrrw_seed, STEP("+zkr", "csrrw a1, seed, zero"))
PROBE(csrr_siselect, STEP("+ssaia", "csrr a1, siselect"))
PROBE(csrr_sstateen0, STEP("+smstateen", "csrr a1, sstateen0"))
PROBE(rdtime, STEP("+zicntr", "rdtime a1"))
PROBE(csrr_sscratch, STEP("+zicsr", "csrr a1, sscratch"))
PROBE(fence_i, STEP("+zifencei", "fence.i"))
PROBE(csrr_hpmcounter3, STEP("+zihpm", "csrr a1, hpmcounter3"))
PROBE(czero_eqz, STEP("+zicond", "czero.eqz a1, a1, a2"))
PROBE(mop_r_0, STEP("+zimop", "mop.r.0 a1, a1"))
PROBE(wrs_nto, STEP("+zawrs", "wrs.nto"))
PROBE(vsetvli, STEP("+v", "vsetivli zero, 4, e32, m1, ta, ma"))
PROBE(vwsll_vv, VSTEP("+zvbb", "4, e32, m1, ta, ma", "vwsll.vv v2, v4, v5"))
PROBE(vrev8_v, VSTEP("+zvkb", "4, e32, m1, ta, ma", "vrev8.v v1, v2"))
PROBE(vclmul_vv, VSTEP("+zvbc", "2, e64, m1, ta, ma", "vclmul.vv v1, v2, v3"))
PROBE(vghsh_vv, VSTEP("+zvkg", "4, e32, m1, ta, ma", "vghsh.vv v1, v2, v3"))
PROBE(vaesef_vv, VSTEP("+zvkned", "4, e32, m1, ta, ma", "vaesef.vv v1, v2"))
PROBE(vsha2ms_e32, VSTEP("+zvknha", "4, e32, m1, ta, ma", "vsha2ms.vv v1, v2, v3"))
PROBE(vsha2ms_e64, VSTEP("+zvknhb", "4, e64, m2, ta, ma", "vsha2ms.vv v2, v4, v6"))
PROBE(vsm4k_vi, VSTEP("+zvksed", "4, e32, m1, ta, ma", "vsm4k.vi v1, v2, 0"))
PROBE(vsm3me_vv, VSTEP("+zvksh", "8, e32, m2, ta, ma", "vsm3me.vv v2, v4, v6"))
PROBE(vfadd_e16, VSTEP("+zvfh", "4, e16, m1, ta, ma", "vfadd.vv v1, v2, v3"))
PROBE(vfwcvt_f_f_e16, VSTEP("+zvfhmin", "4, e16, m1, ta, ma", "vfwcvt.f.f.v v2, v1"))
PROBE(vfncvtbf16_f_f_w, VSTEP("+zvfbfmin", "4, e16, m1, ta, ma", "vfncvtbf16.f.f.w v1, v2"))
PROBE(vfwmaccbf16_vv, VSTEP("+zvfbfwma", "4, e16, m1, ta, ma", "vfwmaccbf16.vv v2, v4, v5"))

#define ENTRY(id) {#id, probe_##id}
static const struct {
  const char* name;
  void (*run)(void);
} probes[] = {
    ENTRY(amoadd_w), ENTRY(lr_sc_w), ENTRY(amoadd_b), ENTRY(amocas_w), ENTRY(lw_aq), ENTRY(c_addi),
    ENTRY(c_not), ENTRY(c_fld), ENTRY(c_mop_1), ENTRY(add), ENTRY(mul), ENTRY(fadd_s), ENTRY(fadd_d),
    ENTRY(fadd_h), ENTRY(fcvt_s_h), ENTRY(fli_s), ENTRY(fcvt_bf16_s), ENTRY(hlv_b), ENTRY(csrr_stimecmp),
    ENTRY(sinval_vma), ENTRY(pause), ENTRY(ntl_all), ENTRY(prefetch_r), ENTRY(cbo_clean_flush_inval),
    ENTRY(cbo_zero), ENTRY(clz), ENTRY(sh1add), ENTRY(bset), ENTRY(clmulr), ENTRY(clmulh), ENTRY(pack),
    ENTRY(xperm8), ENTRY(aes64ds), ENTRY(aes64es), ENTRY(sha256sig0), ENTRY(sm4ed), ENTRY(sm3p0),
    ENTRY(csrrw_seed), ENTRY(csrr_siselect), ENTRY(csrr_sstateen0), ENTRY(rdtime),
    ENTRY(csrr_sscratch), ENTRY(fence_i), ENTRY(csrr_hpmcounter3), ENTRY(czero_eqz), ENTRY(mop_r_0),
    ENTRY(wrs_nto), ENTRY(vsetvli), ENTRY(vwsll_vv), ENTRY(vrev8_v), ENTRY(vclmul_vv), ENTRY(vghsh_vv),
    ENTRY(vaesef_vv), ENTRY(vsha2ms_e32), ENTRY(vsha2ms_e64), ENTRY(vsm4k_vi), ENTRY(vsm3me_vv),
    ENTRY(vfadd_e16), ENTRY(vfwcvt_f_f_e16), ENTRY(vfncvtbf16_f_f_w), ENTRY(vfwmaccbf16_vv),
};

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
