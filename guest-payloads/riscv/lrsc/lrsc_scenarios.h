/* SPDX-License-Identifier: MIT */
/* Every scenario of the lrsc payload, once: X(name, run). lrsc.c expands it into the scenario
 * numbers, the name it prints and the call it makes; the host expands it into the LrSc cases
 * (harness/riscv/lrsc_scenarios.cc), each judged by the check of that name in
 * suites/riscv/lrsc_test.cc. The functions are lrsc.c's. */
#ifndef KVMCT_LRSC_SCENARIOS_H
#define KVMCT_LRSC_SCENARIOS_H

#define KVMCT_LRSC_SCENARIOS(X) \
  X(ScSucceedsW, pair(0, 0)) \
  X(ScSucceedsD, pair(1, 0)) \
  X(LrAqScRlW, pair(0, 1)) \
  X(LrAqrlScAqrlW, pair(0, 2)) \
  X(LrAqScRlD, pair(1, 1)) \
  X(LrAqrlScAqrlD, pair(1, 2)) \
  X(ScWithoutReservationW, no_reservation(0)) \
  X(ScWithoutReservationD, no_reservation(1)) \
  X(ScAfterOwnStoreW, own_store()) \
  X(ScToOtherAddressW, other_address()) \
  X(LrWSignExtends, sign_extension()) \
  X(ConstrainedLoopD, constrained_loop(p->iterations))

#endif
