// SPDX-License-Identifier: MIT
// The isolation payload's increment loops as the host sees them, expanded from the payload's
// one list (guest-payloads/riscv/isolation/isolation_ops.h), and the per-VM sequences the
// counters follow: each VM's values stay distinguishable from every other VM's.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "isolation/isolation_ops.h"
#include "riscv/guest_abi.h"

namespace kvmct::riscv {

struct IsolationOp {
  std::string_view name;       // "AmoAdd": the case name
  std::string_view extension;  // catalogue name it needs ("ZACAS"), or empty
  unsigned number = 0;         // the op the payload switches on
  std::array<unsigned, KVMCT_ISOLATION_SLOTS> widths{};  // bytes per slot
};

std::span<const IsolationOp> isolation_ops();

// Every counter steps by this, so a VM's values keep the residue of its base.
constexpr uint64_t kIsolationStride = 2;

// VM `vm`'s first value in a counter of `width` bytes: residue `vm` mod 2, and a top byte of
// its own (0xA0 + 0x10 * vm) where the width holds one besides the count.
uint64_t isolation_base(unsigned vm, unsigned width);
// The value a counter must end at: base + increments * stride, in `width` bytes.
uint64_t isolation_final(uint64_t base, uint64_t increments, unsigned width);
// Which VM's sequence `value` (a counter of `width` bytes) belongs to by its residue.
unsigned isolation_vm_of(uint64_t value);

}  // namespace kvmct::riscv
