// SPDX-License-Identifier: MIT
// Host device tree and ISA_EXT register agreement before an optional-extension payload runs.
#include "extension_gate.h"

#include <cerrno>

#include "absence.h"
#include "riscv/expect/isa_ext_expectation.h"
#include "riscv/isa_ext_register.h"
#include "suite_context.h"

namespace kvmct {

std::optional<Skip> host_lacks_extension(std::string_view name) {
  const Extension* ext = context().catalogue().by_name(name);
  if (!ext) return Skip{SkipKind::Unsupported, std::string(name) + " is not in " + context().catalogue().file()};
  const Result<riscv::HostIsa>& host = context().host_isa();
  if (!host) return Skip{SkipKind::Unsupported, "the host ISA is unknown: " + host.error().to_string()};
  if (!context().host_kernel_has(*ext)) return Skip{SkipKind::HostLacks, absence_reason(*ext, false)};
  return std::nullopt;
}

std::optional<Skip> extension_unavailable(std::string_view name, riscv::GuestVm& vm) {
  if (std::optional<Skip> why = host_lacks_extension(name)) return why;
  const Extension* ext = context().catalogue().by_name(name);
  Result<uint64_t> reg = riscv::IsaExtRegister(vm.vcpu(0), ext->id).get();
  if (!reg) {
    std::string reason = absence_reason(*ext, true);
    if (reg.err() != ENOENT) reason += "; " + reg.error().to_string();
    return Skip{SkipKind::Absent, reason};
  }
  if (*reg != 1)
    return Skip{SkipKind::NotApplicable, ext->name + " reads " + std::to_string(*reg) + " in the vCPU's ISA_EXT register"};
  return std::nullopt;
}

}  // namespace kvmct
