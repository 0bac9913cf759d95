// SPDX-License-Identifier: MIT
// Hypercall decoding; numbers and argument registers from guest_abi.h / docs/hypercall.md.
#include "riscv/sbi_channel.h"

#include <cerrno>

#include "riscv/guest_abi.h"
#include "riscv/trap_cause.h"

namespace kvmct::riscv {

bool is_kvmct_hypercall(const SbiCall& call) { return call.extension == KVMCT_SBI_EXT; }

Result<GuestCall> decode_hypercall(const SbiCall& call, const GuestMemory& memory) {
  const auto& a = call.args;
  switch (call.function) {
    case KVMCT_SBI_PUTS: {
      if (a[1] > KVMCT_PUTS_MAX) return Error{EINVAL, "PUTS of " + std::to_string(a[1]) + " bytes, limit " + std::to_string(KVMCT_PUTS_MAX)};
      Result<std::string> text = memory.read(a[0], a[1]);
      if (!text) return Error{EFAULT, "PUTS: " + text.error().what};
      return GuestCall{GuestPuts{std::move(*text)}};
    }
    case KVMCT_SBI_REPORT: {
      Result<std::string> name = memory.read_string(a[0], KVMCT_NAME_MAX);
      if (!name) return Error{EFAULT, "REPORT name: " + name.error().what};
      return GuestCall{GuestReportCall{std::move(*name), a[1]}};
    }
    case KVMCT_SBI_CHECK_FAILED: {
      Result<std::string> file = memory.read_string(a[0], KVMCT_NAME_MAX);
      if (!file) return Error{EFAULT, "CHECK_FAILED file: " + file.error().what};
      Result<std::string> expr = memory.read_string(a[2], KVMCT_PUTS_MAX);
      if (!expr) return Error{EFAULT, "CHECK_FAILED expression: " + expr.error().what};
      return GuestCall{GuestCheckFailed{std::move(*file), a[1], std::move(*expr), a[3], a[4]}};
    }
    case KVMCT_SBI_FINISH:
      return GuestCall{GuestFinish{static_cast<int64_t>(a[0])}};
    case KVMCT_SBI_UNEXPECTED_TRAP:
      return GuestCall{GuestTrap{a[0], a[1], describe_trap(a[0], a[1], a[2])}};
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

std::string describe_trap(uint64_t scause, uint64_t sepc, uint64_t stval) {
  return trap_cause_name(scause) + " (scause " + hex(scause) + ") at sepc " + hex(sepc) + ", stval " + hex(stval);
}

std::optional<Result<GuestCall>> SbiChannel::decode(const kvm_run& run, const GuestMemory& memory) const {
  const VcpuExit exit = decode_exit(run);
  const SbiCall* sbi = std::get_if<SbiCall>(&exit);
  if (!sbi || !is_kvmct_hypercall(*sbi)) return std::nullopt;
  return decode_hypercall(*sbi, memory);
}

void SbiChannel::answer(kvm_run& run, GuestMemory&, const Status& outcome) const {
  set_sbi_return(run, outcome ? KVMCT_SBI_SUCCESS : sbi_error_for(outcome.error()), 0);
}

std::string SbiChannel::describe_exit(const kvm_run& run) const { return to_string(decode_exit(run)); }

}  // namespace kvmct::riscv
