// SPDX-License-Identifier: MIT
// Host device tree and ISA_EXT register agreement before an optional-extension payload runs.
#include "extension_gate.h"

#include "riscv/expect/isa_ext_expectation.h"
#include "riscv/isa_ext_register.h"
#include "suite_context.h"

namespace kvmct {

std::optional<std::string> host_lacks_extension(std::string_view name) {
  const Extension* ext = context().catalogue().by_name(name);
  if (!ext) return std::string(name) + " is not in the catalogue";
  const Result<riscv::HostIsa>& host = context().host_isa();
  if (!host) return "the host ISA is unknown: " + host.error().to_string();
  if (!host_provides(*ext, host->extensions))
    return ext->name + " is absent: the host device tree lacks " + (ext->host.empty() ? "it" : ext->host.front());
  return std::nullopt;
}

std::optional<std::string> extension_unavailable(std::string_view name, riscv::GuestVm& vm) {
  if (std::optional<std::string> why = host_lacks_extension(name)) return why;
  const Extension* ext = context().catalogue().by_name(name);
  Result<uint64_t> reg = riscv::IsaExtRegister(vm.vcpu(0), ext->id).get();
  if (!reg)
    return "the host has " + ext->name + " but kernel " + context().release() + " has no ISA_EXT register for it (" +
           reg.error().to_string() + "; id " + std::to_string(ext->id) + " since " + ext->since.to_string() + ")";
  if (*reg != 1) return ext->name + " reads " + std::to_string(*reg) + " in the vCPU's ISA_EXT register";
  return std::nullopt;
}

}  // namespace kvmct
