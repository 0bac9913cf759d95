// SPDX-License-Identifier: MIT
// What the host's device tree says the harts implement: `riscv,isa-extensions` (or the
// older `riscv,isa` string), intersected over all harts as Linux does for its own ISA.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kvmct::riscv {

struct HostIsa {
  std::set<std::string> extensions;  // lower case, common to every hart
  std::string isa_string;            // riscv,isa of the first hart, for reports
  std::string source;                // "riscv,isa-extensions" or "riscv,isa"
  int harts = 0;

  // From /sys/firmware/fdt, the blob the host kernel booted with.
  static Result<HostIsa> read(const std::string& path = "/sys/firmware/fdt");
  static Result<HostIsa> from_fdt(const void* blob, size_t size);
  // Splits "rv64imafdc_zicsr_zaamo" into {i,m,a,f,d,c,zicsr,zaamo}.
  static std::set<std::string> parse_isa_string(std::string_view isa);

  bool has(std::string_view name) const { return extensions.count(std::string(name)) != 0; }
};

}  // namespace kvmct::riscv
