// SPDX-License-Identifier: MIT
// Why an extension is absent, in one wording.
#include "absence.h"

#include "suite_context.h"

namespace kvmct {

std::string absence_reason(const Extension& ext, bool host_has) {
  if (host_has)
    return ext.name + " is absent: kernel " + context().release() + " predates it (id " + std::to_string(ext.id) +
           " since " + ext.since.to_string() + ")";
  if (HostKernelGate gate = context().host_kernel_gate(ext); !gate.keeps) return ext.name + " is absent: " + gate.why;
  if (ext.host.empty())
    return ext.name + " is absent: the host kernel never sets it on rv64 (no host names in the catalogue)";
  constexpr size_t kShown = 3;  // the vector-crypto entries have dozens of alternatives
  std::string alts;
  for (size_t i = 0; i < ext.host.size() && i < kShown; ++i) alts += (i ? " or " : "") + ext.host[i];
  if (ext.host.size() > kShown)
    alts += " or " + std::to_string(ext.host.size() - kShown) + " more (" + context().catalogue().file() + ":" +
            std::to_string(ext.line) + ")";
  return ext.name + " is absent: the host device tree lacks " + alts;
}

}  // namespace kvmct
