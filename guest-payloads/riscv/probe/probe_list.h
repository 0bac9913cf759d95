/* SPDX-License-Identifier: MIT */
/* Every probe of the probe payload, once: X(id, body). probe.c expands it into the probe
 * functions and the table the host names them by; the host expands it into the ids that
 * expected/riscv/isa-probes.yaml may name (harness/riscv/expect/isa_probes.cc). A body is one
 * or more STEP(arch, instruction) or VSTEP(arch, vtype, instruction), defined in probe.c. */
#ifndef KVMCT_PROBE_LIST_H
#define KVMCT_PROBE_LIST_H

/* The parameter block's name field: an id plus its NUL fits. */
#define KVMCT_PROBE_NAME_MAX 32

#define KVMCT_PROBES(X) \
  X(amoadd_w, STEP("+a", "amoadd.w a1, a1, (a0)")) \
  X(lr_sc_w, STEP("+a", "lr.w a1, (a0)"); STEP("+a", "sc.w a2, a1, (a0)")) \
  X(amoadd_b, STEP("+zabha", "amoadd.b a1, a1, (a0)")) \
  X(amocas_w, STEP("+zacas", "amocas.w a1, a2, (a0)")) \
  /* lw.aq (Zalasr): binutils 2.44 lacks zalasr; AMO opcode, funct3 010, funct5 00110, aq = 1. */ \
  X(lw_aq, STEP("+a", ".insn r 0x2f, 0x2, 0x1a, a1, a0, x0")) \
  X(c_addi, STEP("+c", "c.addi a1, 1")) \
  X(c_not, STEP("+zcb", "c.not a1")) \
  X(c_fld, STEP("+zcd", "c.fld fa0, 0(a0)")) \
  X(c_mop_1, STEP("+zcmop", "c.mop.1")) \
  X(add, STEP("+m", "add a1, a1, a2")) \
  X(mul, STEP("+m", "mul a1, a1, a2")) \
  X(fadd_s, STEP("+f", "fadd.s fa0, fa1, fa2")) \
  X(fadd_d, STEP("+d", "fadd.d fa0, fa1, fa2")) \
  X(fadd_h, STEP("+zfh", "fadd.h fa0, fa1, fa2")) \
  X(fcvt_s_h, STEP("+zfhmin", "fcvt.s.h fa0, fa1")) \
  X(fli_s, STEP("+zfa", "fli.s fa0, 1.0")) \
  X(fcvt_bf16_s, STEP("+zfbfmin", "fcvt.bf16.s fa0, fa1")) \
  X(hlv_b, STEP("+h", "hlv.b a1, (a0)")) \
  X(csrr_stimecmp, STEP("+sstc", "csrr a1, stimecmp")) \
  X(sinval_vma, STEP("+svinval", "sinval.vma zero, zero")) \
  X(pause, STEP("+zihintpause", "pause")) \
  X(ntl_all, STEP("+zihintntl", "ntl.all")) \
  X(prefetch_r, STEP("+zicbop", "prefetch.r 0(a0)")) \
  X(cbo_clean_flush_inval, STEP("+zicbom", "cbo.clean (a0)"); STEP("+zicbom", "cbo.flush (a0)"); STEP("+zicbom", "cbo.inval (a0)")) \
  X(cbo_zero, STEP("+zicboz", "cbo.zero (a0)")) \
  X(clz, STEP("+zbb", "clz a1, a1")) \
  X(sh1add, STEP("+zba", "sh1add a1, a1, a2")) \
  X(bset, STEP("+zbs", "bset a1, a1, a2")) \
  X(clmulr, STEP("+zbc", "clmulr a1, a1, a2")) \
  X(clmulh, STEP("+zbkc", "clmulh a1, a1, a2")) \
  X(pack, STEP("+zbkb", "pack a1, a1, a2")) \
  X(xperm8, STEP("+zbkx", "xperm8 a1, a1, a2")) \
  X(aes64ds, STEP("+zknd", "aes64ds a1, a1, a2")) \
  X(aes64es, STEP("+zkne", "aes64es a1, a1, a2")) \
  X(sha256sig0, STEP("+zknh", "sha256sig0 a1, a1")) \
  X(sm4ed, STEP("+zksed", "sm4ed a1, a1, a2, 0")) \
  X(sm3p0, STEP("+zksh", "sm3p0 a1, a1")) \
  X(csrrw_seed, STEP("+zkr", "csrrw a1, seed, zero")) \
  X(csrr_siselect, STEP("+ssaia", "csrr a1, siselect")) \
  X(csrr_sstateen0, STEP("+smstateen", "csrr a1, sstateen0")) \
  X(rdtime, STEP("+zicntr", "rdtime a1")) \
  X(csrr_sscratch, STEP("+zicsr", "csrr a1, sscratch")) \
  X(fence_i, STEP("+zifencei", "fence.i")) \
  X(csrr_hpmcounter3, STEP("+zihpm", "csrr a1, hpmcounter3")) \
  X(czero_eqz, STEP("+zicond", "czero.eqz a1, a1, a2")) \
  X(mop_r_0, STEP("+zimop", "mop.r.0 a1, a1")) \
  X(wrs_nto, STEP("+zawrs", "wrs.nto")) \
  /* ssp (Zicfiss) is accessible in VS-mode only with henvcfg.SSE, which the guest asks for. */ \
  X(csrr_ssp, fwft_enable(KVMCT_FWFT_SHADOW_STACK); STEP("+zicfiss", "csrr a1, ssp")) \
  X(vsetvli, STEP("+v", "vsetivli zero, 4, e32, m1, ta, ma")) \
  X(vwsll_vv, VSTEP("+zvbb", "4, e32, m1, ta, ma", "vwsll.vv v2, v4, v5")) \
  X(vrev8_v, VSTEP("+zvkb", "4, e32, m1, ta, ma", "vrev8.v v1, v2")) \
  X(vclmul_vv, VSTEP("+zvbc", "2, e64, m1, ta, ma", "vclmul.vv v1, v2, v3")) \
  X(vghsh_vv, VSTEP("+zvkg", "4, e32, m1, ta, ma", "vghsh.vv v1, v2, v3")) \
  X(vaesef_vv, VSTEP("+zvkned", "4, e32, m1, ta, ma", "vaesef.vv v1, v2")) \
  X(vsha2ms_e32, VSTEP("+zvknha", "4, e32, m1, ta, ma", "vsha2ms.vv v1, v2, v3")) \
  X(vsha2ms_e64, VSTEP("+zvknhb", "4, e64, m2, ta, ma", "vsha2ms.vv v2, v4, v6")) \
  X(vsm4k_vi, VSTEP("+zvksed", "4, e32, m1, ta, ma", "vsm4k.vi v1, v2, 0")) \
  X(vsm3me_vv, VSTEP("+zvksh", "8, e32, m2, ta, ma", "vsm3me.vv v2, v4, v6")) \
  X(vfadd_e16, VSTEP("+zvfh", "4, e16, m1, ta, ma", "vfadd.vv v1, v2, v3")) \
  X(vfwcvt_f_f_e16, VSTEP("+zvfhmin", "4, e16, m1, ta, ma", "vfwcvt.f.f.v v2, v1")) \
  X(vfncvtbf16_f_f_w, VSTEP("+zvfbfmin", "4, e16, m1, ta, ma", "vfncvtbf16.f.f.w v1, v2")) \
  X(vfwmaccbf16_vv, VSTEP("+zvfbfwma", "4, e16, m1, ta, ma", "vfwmaccbf16.vv v2, v4, v5"))

#endif
