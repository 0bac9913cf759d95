// SPDX-License-Identifier: MIT
// The guest payloads built from guest-payloads/ and embedded in kvmct-suite, by name: the
// directory of their sources ("amo", "lrsc", ...).
#pragma once

#include <span>
#include <string_view>

#include "riscv/guest_payload.h"

namespace kvmct::riscv {

std::span<const GuestPayload> all_payloads();
// nullptr when no payload has that name.
const GuestPayload* find_payload(std::string_view name);

}  // namespace kvmct::riscv
