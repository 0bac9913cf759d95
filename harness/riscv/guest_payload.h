// SPDX-License-Identifier: MIT
// A flat guest program image, linked to run at KVMCT_RAM_BASE (guest_abi.h), by name.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace kvmct::riscv {

struct GuestPayload {
  std::string_view name;
  std::span<const uint8_t> image;
};

}  // namespace kvmct::riscv
