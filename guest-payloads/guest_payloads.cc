// SPDX-License-Identifier: MIT
// The payload images embedded by kvmct_embed_files (guest-payloads/CMakeLists.txt), by name.
#include "guest_payloads.h"

namespace kvmct {

std::span<const GuestPayload> embedded_payload_images();  // generated

std::span<const GuestPayload> all_payloads() { return embedded_payload_images(); }

const GuestPayload* find_payload(std::string_view name) { return find_embedded(all_payloads(), name); }

}  // namespace kvmct
