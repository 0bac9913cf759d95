// SPDX-License-Identifier: MIT
// The KVM_RUN exits every architecture shares, decoded from struct kvm_run into values: an
// MMIO access, a system event, or a reason nobody decodes. An architecture's VcpuExit is
// VcpuExitWith<its own exits...> (riscv/vcpu_exit.h).
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <string>
#include <variant>

namespace kvmct {

// KVM_EXIT_MMIO: a load or store to a guest-physical address no memslot covers.
struct MmioAccess {
  uint64_t gpa = 0;
  uint32_t len = 0;
  bool is_write = false;
  uint64_t data = 0;  // the stored value when is_write
};

// KVM_EXIT_SYSTEM_EVENT: e.g. a PSCI or SBI SRST shutdown or reset.
struct SystemEvent {
  uint32_t type = 0;
};

struct UnknownExit {
  uint32_t reason = 0;
};

using CommonExit = std::variant<MmioAccess, SystemEvent, UnknownExit>;

template <class... ArchExits>
using VcpuExitWith = std::variant<ArchExits..., MmioAccess, SystemEvent, UnknownExit>;

// Every reason other than MMIO and system event comes back as UnknownExit.
CommonExit decode_common_exit(const kvm_run& run);

// The common exits widened into an architecture's exit variant.
template <class Exit>
Exit widen(const CommonExit& exit) {
  return std::visit([](const auto& e) -> Exit { return e; }, exit);
}

std::string to_string(const MmioAccess& mmio);
std::string to_string(const SystemEvent& event);
std::string to_string(const UnknownExit& exit);

// The value a trapped MMIO load reads, written to the destination register on the next KVM_RUN.
void set_mmio_load(kvm_run& run, uint64_t value);

}  // namespace kvmct
