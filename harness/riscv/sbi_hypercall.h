// SPDX-License-Identifier: MIT
// The kvmct hypercalls (docs/hypercall.md, guest_abi.h) decoded from a forwarded SBI call,
// with their string arguments already copied out of guest memory.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/result.h"
#include "core/guest_memory.h"
#include "riscv/vcpu_exit.h"

namespace kvmct::riscv {

struct GuestPuts {
  std::string text;
};
struct GuestReportCall {
  std::string name;
  uint64_t value = 0;
};
struct GuestCheckFailed {
  std::string file;
  uint64_t line = 0;
  std::string expression;
  uint64_t actual = 0;
  uint64_t expected = 0;
  std::string to_string() const;
};
struct GuestFinish {
  int64_t status = 0;
};
struct GuestTrap {
  uint64_t scause = 0;
  uint64_t sepc = 0;
  uint64_t stval = 0;
  std::string to_string() const;  // "store/AMO address misaligned (scause 6) at sepc 0x… stval 0x…"
};

using SbiHypercall = std::variant<GuestPuts, GuestReportCall, GuestCheckFailed, GuestFinish, GuestTrap>;

bool is_kvmct_hypercall(const SbiCall& call);
// Fails with ENOSYS for an unknown function, EFAULT for a string outside guest RAM and
// EINVAL for an over-long one; the caller answers those with sbi_error_for(error).
Result<SbiHypercall> decode_hypercall(const SbiCall& call, const GuestMemory& memory);
long sbi_error_for(const Error& error);

}  // namespace kvmct::riscv
