/* SPDX-License-Identifier: MIT */
/* Every scenario of the traps payload, once: X(name, kind, address, access). traps.c expands
 * it into the scenario numbers, the name it prints and the access it makes; the host expands it
 * into the AtomicTrap cases (harness/riscv/trap_scenarios.cc), and each name must be a case of
 * expected/riscv/atomic-traps.yaml. kind (Amo, Lr, Sc, Load, Store) is what the host judges
 * the outcome by; address and access are guest code (w1, d4, UNMAPPED, TRY_* and RESERVE are
 * defined in traps.c). */
#ifndef KVMCT_TRAP_SCENARIOS_H
#define KVMCT_TRAP_SCENARIOS_H

#define KVMCT_TRAP_SCENARIOS(X) \
  X(MisalignedAmoaddW, Amo, w1, TRY_RRA("amoadd.w", addr, v, rd)) \
  X(MisalignedAmoswapW, Amo, w1, TRY_RRA("amoswap.w", addr, v, rd)) \
  X(MisalignedAmoaddD, Amo, d4, TRY_RRA("amoadd.d", addr, v, rd)) \
  X(MisalignedAmoswapD, Amo, d4, TRY_RRA("amoswap.d", addr, v, rd)) \
  X(MisalignedLrW, Lr, w1, TRY_RA("lr.w", addr, rd)) \
  X(MisalignedLrD, Lr, d4, TRY_RA("lr.d", addr, rd)) \
  /* SC right after an LR of the aligned word, so an implementation that only accesses \
   * memory for a matching reservation still has its best chance to look at the address. */ \
  X(MisalignedScW, Sc, w1, RESERVE("lr.w"); TRY_RRA("sc.w", addr, v, rd)) \
  X(MisalignedScD, Sc, d4, RESERVE("lr.d"); TRY_RRA("sc.d", addr, v, rd)) \
  X(UnmappedLoadD, Load, UNMAPPED, TRY_RA("ld", addr, rd)) \
  X(UnmappedStoreD, Store, UNMAPPED, TRY_STORE("sd", addr, v)) \
  X(UnmappedAmoaddW, Amo, UNMAPPED, TRY_RRA("amoadd.w", addr, v, rd)) \
  X(UnmappedAmoaddD, Amo, UNMAPPED, TRY_RRA("amoadd.d", addr, v, rd)) \
  X(UnmappedAmoswapD, Amo, UNMAPPED, TRY_RRA("amoswap.d", addr, v, rd)) \
  X(UnmappedLrW, Lr, UNMAPPED, TRY_RA("lr.w", addr, rd)) \
  X(UnmappedLrD, Lr, UNMAPPED, TRY_RA("lr.d", addr, rd)) \
  X(UnmappedScW, Sc, UNMAPPED, TRY_RRA("sc.w", addr, v, rd)) \
  X(UnmappedScD, Sc, UNMAPPED, TRY_RRA("sc.d", addr, v, rd))

#endif
