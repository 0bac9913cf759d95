// SPDX-License-Identifier: MIT
// The scenario table, generated from the list lrsc.c is generated from: numbers are positions.
#include "riscv/lrsc_scenarios.h"

#include "lrsc/lrsc_scenarios.h"

namespace kvmct::riscv {

namespace {
enum : unsigned {
#define KVMCT_SCENARIO_NUMBER(name, run) k##name,
  KVMCT_LRSC_SCENARIOS(KVMCT_SCENARIO_NUMBER)
#undef KVMCT_SCENARIO_NUMBER
};
}  // namespace

std::span<const LrscScenario> lrsc_scenarios() {
#define KVMCT_SCENARIO(name, run) LrscScenario{#name, k##name},
  static constexpr LrscScenario kAll[] = {KVMCT_LRSC_SCENARIOS(KVMCT_SCENARIO)};
#undef KVMCT_SCENARIO
  return kAll;
}

}  // namespace kvmct::riscv
