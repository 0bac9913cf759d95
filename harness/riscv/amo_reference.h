// SPDX-License-Identifier: MIT
// A reference model of the RISC-V AMO instructions, written from the unprivileged spec's
// definitions (chapters "Zaamo", "Zabha", "Zacas"), and the operand vectors of
// expected/riscv/amo-vectors.yaml.
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

// The 72 Zaamo instructions in the order of guest-payloads/riscv/amo/amo_ops.S: op (swap, add, xor,
// and, or, min, max, minu, maxu), then .w/.d, then none/.aq/.rl/.aqrl.
std::vector<AmoInsn> zaamo_instructions();
// The 72 Zabha AMOs (.b/.h), in the order that follows the Zaamo stubs in amo_ops.S.
std::vector<AmoInsn> zabha_instructions();
// Zaamo then Zabha: the index of an instruction here is the stub index the guest runs.
std::vector<AmoInsn> amo_instructions();

// AMOCAS: .b/.h (Zabha), .w/.d/.q (Zacas), each with none/.aq/.rl/.aqrl.
struct CasInsn {
  unsigned width = 4;  // bytes: 1, 2, 4, 8 or 16 (.q, a register pair on RV64)
  AmoOrdering ordering = AmoOrdering::None;

  std::string mnemonic() const;   // "amocas.q.aqrl"
  std::string test_name() const;  // "AmocasQAqrl"
  // The extension that defines it: "ZABHA" for .b/.h, "ZACAS" otherwise (catalogue name).
  std::string extension() const;
};
// The 20 AMOCAS instructions in the order of the cas stubs in amo_ops.S: width b, h, w, d, q,
// then ordering.
std::vector<CasInsn> cas_instructions();

struct AmoOutcome {
  uint64_t rd = 0;   // the old memory value, sign-extended from the access width to 64 bits
  uint64_t mem = 0;  // the doubleword holding the operand after the AMO
  friend bool operator==(const AmoOutcome&, const AmoOutcome&) = default;
};

// The AMO on the low `insn.width` bytes of the little-endian doubleword `mem`, with rs2's low
// `insn.width` bytes as the operand; the other bytes of `mem` are unchanged.
AmoOutcome amo_reference(AmoOp op, unsigned width, uint64_t mem, uint64_t rs2);

// AMOCAS on the low `width` bytes (1..8) of `mem`: the old value is compared with the low
// `width` bytes of `cmp` (rd before the instruction); if equal, rs2's low bytes are stored.
// rd becomes the old value sign-extended; the other bytes of `mem` are unchanged either way.
AmoOutcome cas_reference(unsigned width, uint64_t mem, uint64_t cmp, uint64_t swap);

// A 128-bit value as the register pair AMOCAS.Q uses on RV64: lo in the even register.
struct U128 {
  uint64_t lo = 0, hi = 0;
  friend bool operator==(const U128&, const U128&) = default;
};
struct CasQOutcome {
  U128 rd, mem;
  friend bool operator==(const CasQOutcome&, const CasQOutcome&) = default;
};
CasQOutcome cas_q_reference(U128 mem, U128 cmp, U128 swap);

struct AmoVector {
  uint64_t mem = 0;  // the doubleword in memory before the AMO
  uint64_t rs2 = 0;
};

struct CasVector {
  uint64_t mem = 0, cmp = 0, swap = 0;
};
struct CasQVector {
  U128 mem, cmp, swap;
};

// expected/riscv/amo-vectors.yaml: per width, the values crossed with themselves as (memory, rs2),
// and the bit patterns a narrow AMO must ignore (rs2) and leave alone (memory).
struct AmoVectors {
  struct Width {
    std::vector<uint64_t> values;
    uint64_t rs2_upper = 0;  // bits above the width in rs2
    uint64_t mem_upper = 0;  // bits above the width in the memory doubleword
    uint64_t cmp_upper = 0;  // bits above the width in an AMOCAS compare value (rd)
  };
  Width b, h, w, d;

  static Result<AmoVectors> parse(std::string_view text, const std::string& file);
  // Every (memory, rs2) pair for an access of `width` bytes (1, 2, 4 or 8).
  std::vector<AmoVector> vectors(unsigned width) const;
  // AMOCAS operands of `width` bytes (1, 2, 4 or 8): every (memory, swap) pair of vectors(width),
  // once with a compare value equal to the memory operand in the low `width` bytes (cmp_upper
  // above, which the compare must ignore) and once differing only in the width's sign bit.
  std::vector<CasVector> cas_vectors(unsigned width) const;
  // AMOCAS.Q operands from the d values: memory and swap are pairs (values[i], values[i+1]);
  // compare equal, differing only in the low doubleword's bit 63, or only in the high one's.
  std::vector<CasQVector> cas_q_vectors() const;
};

}  // namespace kvmct::riscv
