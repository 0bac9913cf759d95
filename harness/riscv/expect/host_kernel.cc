// SPDX-License-Identifier: MIT
// The catalogue's host_config condition against the host kernel's .config.
#include "riscv/expect/host_kernel.h"

namespace kvmct {

HostKernelGate host_kernel_gate(const Extension& ext, const KernelConfig& config) {
  HostKernelGate g;
  if (ext.host_config.empty()) return g;
  g.state = config.state(ext.host_config);
  const std::string option = "CONFIG_" + ext.host_config;
  switch (g.state) {
    case ConfigState::No:
      g.keeps = false;
      g.why = "the host kernel was built without " + option + " (" + config.source() + "; " + ext.host_config_cite + ")";
      break;
    case ConfigState::Unknown:
      // No config at hand (a kernel image given by path): the device tree is all there is.
      g.why = option + " is unknown (no kernel config given): assumed set (" + ext.host_config_cite + ")";
      break;
    case ConfigState::Yes:
    case ConfigState::Module:
      g.why = option + "=" + to_string(g.state) + " (" + config.source() + ")";
      break;
  }
  return g;
}

void apply_host_kernel_gate(IsaExtExpectation& e, const HostKernelGate& gate) {
  if (gate.keeps || !e.host_has) return;
  e.host_has = false;
  e.presence = Presence::Absent;
  e.default_on = false;
}

}  // namespace kvmct
