// SPDX-License-Identifier: MIT
// What a guest must read with MRS in one field of a feature ID register after userspace wrote the
// register and the vCPU ran: the written value, or for a host-managed field (a filter of
// expected/arm64/id-registers.yaml that changes the value behind userspace's back) the value
// the filter gives, with the filter's reason. A filter kvmct cannot evaluate on this VM is an
// error, never a guess: the case fails naming it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "arm64/expect/id_registers.h"

namespace kvmct {

// The facts about the VM and host that decide whether a host-managed filter applies.
struct GuestViewFacts {
  bool irqchip = false;  // an in-kernel vGIC exists (KVM_CREATE_DEVICE)
  bool sve = false;      // the vCPU was initialised with KVM_ARM_VCPU_SVE
  bool nested = false;   // the vCPU was initialised with KVM_ARM_VCPU_HAS_EL2
  // The host's ID registers as its kernel emulates MRS at EL0 (only the user-visible fields);
  // absent when they could not be read.
  std::optional<std::map<std::string, uint64_t>> host_el0;
};

struct GuestFieldExpectation {
  uint64_t value = 0;        // the field value the guest must read, right-aligned
  std::string host_managed;  // "" when it is the written value; else "<filter kind>: <reason>"
  std::string cite;          // the filter's citation and table line, with host_managed
  std::string error;         // non-empty: the expectation cannot be derived; the case fails with it
};

// The field `f` of register `reg` as the guest must read it after `written_reg` was stored with
// KVM_SET_ONE_REG (accepted) and the VM ran once. `table_file` names the tables in `cite`.
GuestFieldExpectation guest_field_expectation(const IdRegister& reg, const IdRegField& f, uint64_t written_reg,
                                              const GuestViewFacts& facts, const std::string& table_file);

}  // namespace kvmct
