// SPDX-License-Identifier: MIT
// A flat guest program image, linked to run at its architecture's KVMCT_RAM_BASE
// (<arch>/guest_abi.h), by name.
#pragma once

#include "core/embedded_file.h"

namespace kvmct {

// name: the directory of its sources ("amo"); bytes: the image, loaded at KVMCT_RAM_BASE.
using GuestPayload = EmbeddedFile;

}  // namespace kvmct
