// SPDX-License-Identifier: MIT
// Whether the host kernel keeps an extension its device tree names: some exist only in a
// kernel built with an option (catalogue `host_config`), e.g. Zicfilp/Zicfiss need
// CONFIG_RISCV_USER_CFI, which needs a compiler that knows them.
#pragma once

#include <string>

#include "expect/kernel_config.h"
#include "riscv/expect/catalogue.h"
#include "riscv/expect/isa_ext_expectation.h"

namespace kvmct {

struct HostKernelGate {
  bool keeps = true;       // false: the host kernel drops it whatever the device tree says
  ConfigState state = ConfigState::Unknown;
  std::string why;         // the option, its state and the citation; empty without a condition
};

HostKernelGate host_kernel_gate(const Extension& ext, const KernelConfig& config);

// An expectation derived from the device tree, corrected for a host kernel that drops the
// extension: KVM then has no register for it (ENOENT), like a host without it.
void apply_host_kernel_gate(IsaExtExpectation& e, const HostKernelGate& gate);

}  // namespace kvmct
