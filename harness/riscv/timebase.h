// SPDX-License-Identifier: MIT
// The host's timebase-frequency (/cpus in the device tree): the rate of the time CSR, which a
// KVM guest reads at the host's rate (only htimedelta shifts it), so guest rdtime ticks / this
// = seconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/result.h"

namespace kvmct::riscv {

Result<uint64_t> timebase_hz_from_fdt(const void* blob, size_t size);
Result<uint64_t> read_timebase_hz(const std::string& path = "/sys/firmware/fdt");

}  // namespace kvmct::riscv
