// SPDX-License-Identifier: MIT
// KVM_ARM_GET_REG_WRITABLE_MASKS (api.rst 4.139, Linux 6.7), wrapped once: a VM ioctl that
// fills 192 u64 words at `addr` with the writable mask of each Feature ID register.
#pragma once

#include <linux/kvm.h>

#include <array>
#include <cstdint>

#include "core/kvm.h"
#include "core/result.h"

namespace kvmct::arm64 {

// KVM_ARM_FEATURE_ID_RANGE_SIZE (arch/arm64/include/uapi/asm/kvm.h): 3 * 8 * 8 words.
inline constexpr size_t kWritableMaskWords = 3 * 8 * 8;
using WritableMasks = std::array<uint64_t, kWritableMaskWords>;

// The ioctl with `arg` passed as given (it may be a bad pointer on purpose); the errno on failure.
Status get_reg_writable_masks(const Vm& vm, const reg_mask_range* arg);
// The ordinary call: range 0, reserved zero, into a buffer of our own.
Result<WritableMasks> writable_masks(const Vm& vm);

// kvm_supports_32bit_el0(): the host runs AArch32 at EL0. arm64_personality() refuses
// PER_LINUX32 with EINVAL exactly when !system_supports_32bit_el0(); the probe restores the
// personality it found. (A host booted with allow_mismatched_32bit_el0 is not told apart.)
Result<bool> host_has_aarch32_el0();

}  // namespace kvmct::arm64
