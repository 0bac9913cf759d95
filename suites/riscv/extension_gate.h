// SPDX-License-Identifier: MIT
// Whether a guest payload that needs an optional extension (Zabha, Zacas, ...) may run: the
// host must have it AND the vCPU's ISA_EXT register must say the guest has it.
#pragma once

#include <optional>
#include <string_view>

#include "riscv/guest_vm.h"
#include "test_record.h"

namespace kvmct {

// Why a payload that needs extension `name` (catalogue spelling, "ZABHA") cannot run on
// `vm`: the host device tree lacks it (host_lacks), vCPU 0's ISA_EXT register is absent
// because the kernel predates the id (absent), or reads 0 (not_applicable: KVM does not give
// it to guests). nullopt when both say the guest has it.
std::optional<Skip> extension_unavailable(std::string_view name, riscv::GuestVm& vm);
// The host half of that check, which needs no VM: callers skip before paying for one.
std::optional<Skip> host_lacks_extension(std::string_view name);

}  // namespace kvmct
