// SPDX-License-Identifier: MIT
// Hypercall decoding; numbers and argument registers from guest_abi.h / docs/hypercall.md.
#include "riscv/sbi_hypercall.h"

#include <cerrno>

#include "riscv/guest_abi.h"
#include "riscv/trap_cause.h"

namespace kvmct::riscv {

bool is_kvmct_hypercall(const SbiCall& call) { return call.extension == KVMCT_SBI_EXT; }

Result<SbiHypercall> decode_hypercall(const SbiCall& call, const GuestMemory& memory) {
  const auto& a = call.args;
  switch (call.function) {
    case KVMCT_SBI_PUTS: {
      if (a[1] > KVMCT_PUTS_MAX) return Error{EINVAL, "PUTS of " + std::to_string(a[1]) + " bytes, limit " + std::to_string(KVMCT_PUTS_MAX)};
      Result<std::string> text = memory.read(a[0], a[1]);
      if (!text) return Error{EFAULT, "PUTS: " + text.error().what};
      return SbiHypercall{GuestPuts{std::move(*text)}};
    }
    case KVMCT_SBI_REPORT: {
      Result<std::string> name = memory.read_string(a[0], KVMCT_NAME_MAX);
      if (!name) return Error{EFAULT, "REPORT name: " + name.error().what};
      return SbiHypercall{GuestReportCall{std::move(*name), a[1]}};
    }
    case KVMCT_SBI_CHECK_FAILED: {
      Result<std::string> file = memory.read_string(a[0], KVMCT_NAME_MAX);
      if (!file) return Error{EFAULT, "CHECK_FAILED file: " + file.error().what};
      Result<std::string> expr = memory.read_string(a[2], KVMCT_PUTS_MAX);
      if (!expr) return Error{EFAULT, "CHECK_FAILED expression: " + expr.error().what};
      return SbiHypercall{GuestCheckFailed{std::move(*file), a[1], std::move(*expr), a[3], a[4]}};
    }
    case KVMCT_SBI_FINISH:
      return SbiHypercall{GuestFinish{static_cast<int64_t>(a[0])}};
    case KVMCT_SBI_UNEXPECTED_TRAP:
      return SbiHypercall{GuestTrap{a[0], a[1], a[2]}};
    default:
      return Error{ENOSYS, "unknown kvmct hypercall function " + std::to_string(call.function)};
  }
}

long sbi_error_for(const Error& error) {
  switch (error.err) {
    case EFAULT: return KVMCT_SBI_ERR_INVALID_ADDRESS;
    case ENOSYS: return KVMCT_SBI_ERR_NOT_SUPPORTED;
    default: return KVMCT_SBI_ERR_INVALID_PARAM;
  }
}

std::string GuestCheckFailed::to_string() const {
  return file + ":" + std::to_string(line) + ": guest check failed: " + expression + " (actual " + hex(actual) +
         ", expected " + hex(expected) + ")";
}

std::string GuestTrap::to_string() const {
  return trap_cause_name(scause) + " (scause " + hex(scause) + ") at sepc " + hex(sepc) + ", stval " + hex(stval);
}

}  // namespace kvmct::riscv
