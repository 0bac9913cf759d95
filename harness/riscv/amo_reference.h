// SPDX-License-Identifier: MIT
// A reference model of the RISC-V AMO instructions, written from the unprivileged spec's
// definitions (chapters "Zaamo", "Zabha"), and the operand vectors of expected/amo-vectors.yaml.
// The AMO suite's expected values come from here, never from running the instruction on the host.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kvmct::riscv {

enum class AmoOp { Swap, Add, Xor, And, Or, Min, Max, Minu, Maxu };
enum class AmoOrdering { None, Aq, Rl, AqRl };

struct AmoInsn {
  AmoOp op = AmoOp::Swap;
  unsigned width = 4;  // bytes: 1 (.b), 2 (.h), 4 (.w), 8 (.d)
  AmoOrdering ordering = AmoOrdering::None;

  std::string mnemonic() const;  // "amoadd.w.aqrl"
  std::string test_name() const; // "AmoaddWAqrl"
};

// The 72 Zaamo instructions in the order of guest-payloads/amo/amo_ops.S: op (swap, add, xor,
// and, or, min, max, minu, maxu), then .w/.d, then none/.aq/.rl/.aqrl.
std::vector<AmoInsn> zaamo_instructions();

struct AmoOutcome {
  uint64_t rd = 0;   // the old memory value, sign-extended from the access width to 64 bits
  uint64_t mem = 0;  // the doubleword holding the operand after the AMO
  friend bool operator==(const AmoOutcome&, const AmoOutcome&) = default;
};

// The AMO on the low `insn.width` bytes of the little-endian doubleword `mem`, with rs2's low
// `insn.width` bytes as the operand; the other bytes of `mem` are unchanged.
AmoOutcome amo_reference(AmoOp op, unsigned width, uint64_t mem, uint64_t rs2);

struct AmoVector {
  uint64_t mem = 0;  // the doubleword in memory before the AMO
  uint64_t rs2 = 0;
};

// expected/amo-vectors.yaml: per width, the values crossed with themselves as (memory, rs2),
// and the bit patterns a narrow AMO must ignore (rs2) and leave alone (memory).
struct AmoVectors {
  struct Width {
    std::vector<uint64_t> values;
    uint64_t rs2_upper = 0;  // bits above the width in rs2
    uint64_t mem_upper = 0;  // bits above the width in the memory doubleword
  };
  Width w, d;

  static Result<AmoVectors> parse(std::string_view text, const std::string& file);
  // Every (memory, rs2) pair for an access of `width` bytes (4 or 8).
  std::vector<AmoVector> vectors(unsigned width) const;
};

}  // namespace kvmct::riscv
