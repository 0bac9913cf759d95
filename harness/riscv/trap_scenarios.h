// SPDX-License-Identifier: MIT
// The traps payload's scenarios as the host sees them, expanded from the payload's one list
// (guest-payloads/riscv/traps/trap_scenarios.h): the number the host passes, the name the
// guest prints back, and the kind of access the outcome is judged by.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace kvmct::riscv {

enum class TrapKind { Amo, Lr, Sc, Load, Store };

struct TrapScenario {
  std::string_view name;  // "MisalignedAmoaddW": the case name and what the guest prints
  unsigned number = 0;    // the parameter traps.c switches on
  TrapKind kind = TrapKind::Amo;
};

std::span<const TrapScenario> trap_scenarios();
std::vector<std::string_view> trap_scenario_names();

}  // namespace kvmct::riscv
