// SPDX-License-Identifier: MIT
// The scenario table, generated from the list traps.c is generated from: numbers are positions.
#include "riscv/trap_scenarios.h"

#include "traps/trap_scenarios.h"

namespace kvmct::riscv {

namespace {
enum : unsigned {
#define KVMCT_SCENARIO_NUMBER(name, kind, where, access) k##name,
  KVMCT_TRAP_SCENARIOS(KVMCT_SCENARIO_NUMBER)
#undef KVMCT_SCENARIO_NUMBER
};
}  // namespace

std::span<const TrapScenario> trap_scenarios() {
#define KVMCT_SCENARIO(name, kind, where, access) TrapScenario{#name, k##name, TrapKind::kind},
  static constexpr TrapScenario kAll[] = {KVMCT_TRAP_SCENARIOS(KVMCT_SCENARIO)};
#undef KVMCT_SCENARIO
  return kAll;
}

std::vector<std::string_view> trap_scenario_names() {
  std::vector<std::string_view> out;
  for (const TrapScenario& s : trap_scenarios()) out.push_back(s.name);
  return out;
}

}  // namespace kvmct::riscv
