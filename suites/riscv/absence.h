// SPDX-License-Identifier: MIT
// The one message saying why an extension has no ISA_EXT register here: the host device tree
// lacks it, or the kernel predates its id. Skips of every suite use it.
#pragma once

#include <string>

#include "riscv/expect/catalogue.h"

namespace kvmct {

// `host_has`: whether the host device tree provides the extension (host_provides()).
std::string absence_reason(const Extension& ext, bool host_has);

}  // namespace kvmct
