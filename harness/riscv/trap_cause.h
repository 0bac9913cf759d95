// SPDX-License-Identifier: MIT
// The one table of RISC-V trap causes (scause values): the privileged spec's name for
// messages and the short name that results and expected/riscv/*.yaml use as an outcome.
#pragma once

#include <cstdint>
#include <string>

namespace kvmct::riscv {

// "load-misaligned", "illegal-instruction", ...; "exception-N" or "interrupt-N" for a cause
// the table does not name.
std::string trap_cause_slug(uint64_t scause);
// "load address misaligned", ...; "exception N" or "interrupt N" likewise.
std::string trap_cause_name(uint64_t scause);

constexpr uint64_t kScauseInterrupt = uint64_t{1} << 63;
constexpr uint64_t kIllegalInstruction = 2;

}  // namespace kvmct::riscv
