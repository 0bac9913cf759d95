// SPDX-License-Identifier: MIT
// The readable form of a failed guest check, the same on every architecture.
#include "core/guest_channel.h"

namespace kvmct {

std::string GuestCheckFailed::to_string() const {
  return file + ":" + std::to_string(line) + ": guest check failed: " + expression + " (actual " + hex(actual) +
         ", expected " + hex(expected) + ")";
}

}  // namespace kvmct
