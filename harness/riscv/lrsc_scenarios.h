// SPDX-License-Identifier: MIT
// The lrsc payload's scenarios as the host sees them, expanded from the payload's one list
// (guest-payloads/riscv/lrsc/lrsc_scenarios.h): the number the host passes and the name the
// guest prints back.
#pragma once

#include <span>
#include <string_view>

namespace kvmct::riscv {

struct LrscScenario {
  std::string_view name;  // "ScSucceedsW": the case name and what the guest prints
  unsigned number = 0;    // the parameter lrsc.c switches on
};

std::span<const LrscScenario> lrsc_scenarios();

}  // namespace kvmct::riscv
