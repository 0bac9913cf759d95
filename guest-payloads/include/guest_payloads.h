// SPDX-License-Identifier: MIT
// The guest payloads built from guest-payloads/<arch>/ and embedded in kvmct-suite, by name:
// the directory of their sources ("amo", "lrsc", "id_regs", ...).
#pragma once

#include <span>
#include <string_view>

#include "core/guest_payload.h"

namespace kvmct {

std::span<const GuestPayload> all_payloads();
// nullptr when no payload has that name.
const GuestPayload* find_payload(std::string_view name);

}  // namespace kvmct
