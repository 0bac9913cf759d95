// SPDX-License-Identifier: MIT
// The device tree a guest payload receives in a1: memory, one cpu node per vCPU, and the
// vCPU's ISA as riscv,isa-extensions (DT binding riscv/extensions.yaml), built with libfdt.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/kvm.h"
#include "core/result.h"
#include "riscv/reg_id.h"

namespace kvmct::riscv {

struct GuestFdtSpec {
  uint64_t ram_base = 0;
  uint64_t ram_size = 0;
  unsigned harts = 1;
  std::vector<std::string> isa_extensions;  // lower case, e.g. {"i", "m", "a", "zaamo"}
};

Result<std::vector<uint8_t>> build_guest_fdt(const GuestFdtSpec& spec);

// The extensions whose ISA_EXT SINGLE register reads 1 on `vcpu`, named by `namer` and
// lower-cased, single letters first in canonical order. Ids the namer does not know are left
// out: the device tree can only carry names.
Result<std::vector<std::string>> enabled_isa_extensions(const Vcpu& vcpu, const IsaExtNamer& namer);

// "rv64imafdc_zicsr_zaamo" from such a list, for riscv,isa.
std::string isa_string(const std::vector<std::string>& extensions);

}  // namespace kvmct::riscv
