// SPDX-License-Identifier: MIT
// Decoding arm64 guest calls; numbers and layout from guest_abi.h / docs/hypercall.md.
#include "arm64/mmio_channel.h"

#include <cerrno>
#include <cstring>

#include "arm64/guest_abi.h"
#include "core/vcpu_exit.h"

namespace kvmct::arm64 {

namespace {

// The address a decoded store carried: the call block's gpa (little endian, 8 bytes).
std::optional<uint64_t> channel_store(const kvm_run& run) {
  if (run.exit_reason != KVM_EXIT_MMIO || run.mmio.phys_addr != KVMCT_CHANNEL_GPA) return std::nullopt;
  uint64_t value = 0;
  std::memcpy(&value, run.mmio.data, sizeof value);
  return value;
}

}  // namespace

Result<GuestCall> decode_call(const CallBlock& b, const GuestMemory& memory) {
  const auto& a = b.args;
  switch (b.function) {
    case KVMCT_CALL_PUTS: {
      if (a[1] > KVMCT_PUTS_MAX)
        return Error{EINVAL, "PUTS of " + std::to_string(a[1]) + " bytes, limit " + std::to_string(KVMCT_PUTS_MAX)};
      Result<std::string> text = memory.read(a[0], a[1]);
      if (!text) return Error{EFAULT, "PUTS: " + text.error().what};
      return GuestCall{GuestPuts{std::move(*text)}};
    }
    case KVMCT_CALL_REPORT: {
      Result<std::string> name = memory.read_string(a[0], KVMCT_NAME_MAX);
      if (!name) return Error{EFAULT, "REPORT name: " + name.error().what};
      return GuestCall{GuestReportCall{std::move(*name), a[1]}};
    }
    case KVMCT_CALL_CHECK_FAILED: {
      Result<std::string> file = memory.read_string(a[0], KVMCT_NAME_MAX);
      if (!file) return Error{EFAULT, "CHECK_FAILED file: " + file.error().what};
      Result<std::string> expr = memory.read_string(a[2], KVMCT_PUTS_MAX);
      if (!expr) return Error{EFAULT, "CHECK_FAILED expression: " + expr.error().what};
      return GuestCall{GuestCheckFailed{std::move(*file), a[1], std::move(*expr), a[3], a[4]}};
    }
    case KVMCT_CALL_FINISH:
      return GuestCall{GuestFinish{static_cast<int64_t>(a[0])}};
    case KVMCT_CALL_UNEXPECTED_TRAP:
      return GuestCall{GuestTrap{a[0], a[1], describe_trap(a[0], a[1], a[2], a[3])}};
    default:
      return Error{ENOSYS, "unknown kvmct call function " + std::to_string(b.function)};
  }
}

int64_t call_status_for(const Error& error) {
  switch (error.err) {
    case EFAULT: return KVMCT_CALL_ERR_INVALID_ADDRESS;
    case ENOSYS: return KVMCT_CALL_ERR_NOT_SUPPORTED;
    default: return KVMCT_CALL_ERR_INVALID_PARAM;
  }
}

std::string exception_class_name(uint32_t ec) {
  switch (ec) {
    case 0x00: return "unknown reason";
    case 0x01: return "WFI/WFE";
    case 0x07: return "SVE/SIMD/FP access";
    case 0x0e: return "illegal execution state";
    case 0x15: return "SVC in AArch64";
    case 0x16: return "HVC in AArch64";
    case 0x17: return "SMC in AArch64";
    case 0x18: return "MSR/MRS/system instruction";
    case 0x19: return "SVE access";
    case 0x20: return "instruction abort, lower EL";
    case 0x21: return "instruction abort, same EL";
    case 0x22: return "PC alignment fault";
    case 0x24: return "data abort, lower EL";
    case 0x25: return "data abort, same EL";
    case 0x26: return "SP alignment fault";
    case 0x2f: return "SError";
    case 0x3c: return "BRK in AArch64";
    default: return "exception class " + hex(ec);
  }
}

std::string describe_trap(uint64_t esr, uint64_t elr, uint64_t far, uint64_t vector) {
  const uint32_t ec = static_cast<uint32_t>((esr >> 26) & 0x3f);
  return "ESR " + hex(esr) + " (" + exception_class_name(ec) + ") at ELR " + hex(elr) + ", FAR " + hex(far) +
         ", vector " + hex(vector);
}

std::optional<Result<GuestCall>> MmioChannel::decode(const kvm_run& run, const GuestMemory& memory) const {
  std::optional<uint64_t> gpa = channel_store(run);
  if (!gpa) return std::nullopt;
  // Only an 8-byte store is a call; anything else at the channel address is a misused channel.
  if (!run.mmio.is_write || run.mmio.len != 8)
    return Result<GuestCall>(Error{EINVAL, std::string(run.mmio.is_write ? "store" : "load") + " of " +
                                               std::to_string(run.mmio.len) + " bytes at the channel; a call is one 8-byte store"});
  if (*gpa % 8 != 0) return Result<GuestCall>(Error{EFAULT, "call block at " + hex(*gpa) + " is not 8-byte aligned"});
  Result<std::string> raw = memory.read(*gpa, KVMCT_CALL_SIZE);
  if (!raw) return Result<GuestCall>(Error{EFAULT, "call block: " + raw.error().what});
  CallBlock block{*gpa, 0, {}};
  std::memcpy(&block.function, raw->data(), 8);
  std::memcpy(block.args, raw->data() + 8, sizeof block.args);
  return decode_call(block, memory);
}

void MmioChannel::answer(kvm_run& run, GuestMemory& memory, const Status& outcome) const {
  std::optional<uint64_t> gpa = channel_store(run);
  if (!gpa || !run.mmio.is_write) {
    if (gpa) set_mmio_load(run, 0);  // a load at the channel reads 0
    return;
  }
  const int64_t status = outcome ? KVMCT_CALL_SUCCESS : call_status_for(outcome.error());
  // Only when the block lies in RAM: a call rejected for its address has nowhere to answer.
  if (uint8_t* at = memory.at(*gpa + KVMCT_CALL_STATUS_OFFSET, 8); at && *gpa % 8 == 0) std::memcpy(at, &status, 8);
}

std::string MmioChannel::describe_exit(const kvm_run& run) const {
  const CommonExit exit = decode_common_exit(run);
  if (const auto* unknown = std::get_if<UnknownExit>(&exit); unknown && unknown->reason == KVM_EXIT_ARM_NISV)
    return "KVM_EXIT_ARM_NISV (an MMIO access KVM cannot decode: a writeback or pair form) at IPA " +
           hex(run.arm_nisv.fault_ipa) + ", ESR " + hex(run.arm_nisv.esr_iss);
  return std::visit([](const auto& e) { return to_string(e); }, exit);
}

}  // namespace kvmct::arm64
