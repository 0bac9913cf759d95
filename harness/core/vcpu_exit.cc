// SPDX-License-Identifier: MIT
// Decoding the common struct kvm_run exits (include/uapi/linux/kvm.h).
#include "core/vcpu_exit.h"

#include <cstring>

#include "core/result.h"

namespace kvmct {

CommonExit decode_common_exit(const kvm_run& run) {
  switch (run.exit_reason) {
    case KVM_EXIT_MMIO: {
      MmioAccess mmio{run.mmio.phys_addr, run.mmio.len, run.mmio.is_write != 0, 0};
      if (mmio.is_write && mmio.len <= sizeof mmio.data) std::memcpy(&mmio.data, run.mmio.data, mmio.len);
      return mmio;
    }
    case KVM_EXIT_SYSTEM_EVENT:
      return SystemEvent{run.system_event.type};
    default:
      return UnknownExit{run.exit_reason};
  }
}

std::string to_string(const MmioAccess& m) {
  return std::string("MMIO ") + (m.is_write ? "store " : "load ") + std::to_string(m.len) + " bytes at " + hex(m.gpa) +
         (m.is_write ? " value " + hex(m.data) : "");
}

std::string to_string(const SystemEvent& e) { return "system event type " + std::to_string(e.type); }

std::string to_string(const UnknownExit& u) { return "exit reason " + std::to_string(u.reason); }

void set_mmio_load(kvm_run& run, uint64_t value) {
  std::memcpy(run.mmio.data, &value, sizeof value);  // little endian: the low len bytes
}

}  // namespace kvmct
