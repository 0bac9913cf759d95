// SPDX-License-Identifier: MIT
// The op table, generated from the list isolation.c is generated from: numbers are positions.
#include "riscv/isolation_ops.h"

namespace kvmct::riscv {

namespace {
enum : unsigned {
#define KVMCT_ISOLATION_OP_NUMBER(name, ext, w0, w1) k##name,
  KVMCT_ISOLATION_OPS(KVMCT_ISOLATION_OP_NUMBER)
#undef KVMCT_ISOLATION_OP_NUMBER
};

uint64_t mask_of(unsigned width) { return width >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * width)) - 1; }
}  // namespace

std::span<const IsolationOp> isolation_ops() {
#define KVMCT_ISOLATION_OP(name, ext, w0, w1) IsolationOp{#name, ext, k##name, {w0, w1}},
  static constexpr IsolationOp kAll[] = {KVMCT_ISOLATION_OPS(KVMCT_ISOLATION_OP)};
#undef KVMCT_ISOLATION_OP
  return kAll;
}

uint64_t isolation_base(unsigned vm, unsigned width) {
  const uint64_t tag = width >= 4 ? uint64_t{0xA0 + 0x10 * vm} << (8 * width - 8) : 0;
  return (tag | vm) & mask_of(width);
}

uint64_t isolation_final(uint64_t base, uint64_t increments, unsigned width) {
  return (base + increments * kIsolationStride) & mask_of(width);
}

unsigned isolation_vm_of(uint64_t value) { return static_cast<unsigned>(value % kIsolationStride); }

}  // namespace kvmct::riscv
