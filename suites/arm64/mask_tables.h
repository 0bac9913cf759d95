// SPDX-License-Identifier: MIT
// What the KVM_ARM_GET_REG_WRITABLE_MASKS cases know before they run: whether this kernel has the
// ioctl (6.7), T12's ID-register tables selected for it, and whether the host has AArch32 EL0.
#pragma once

#include <optional>
#include <string>

#include "arm64/expect/id_registers.h"
#include "core/result.h"
#include "test_record.h"

namespace kvmct::arm64 {

// KVM_ARM_GET_REG_WRITABLE_MASKS and cap 230 landed in 6.7 (merge 45b890f7689e, kvmarm-6.7).
inline constexpr KernelVersion kWritableMasksSince{6, 7, 0};

struct MaskTables {
  IdRegTables tables;
  std::optional<Skip> absent;              // the kernel predates the ioctl
  Result<IdRegSelection> selection = Error{0, "not selected"};  // an Error names the file and kernel
  Result<bool> host_aarch32_el0 = Error{0, "not probed"};
  std::string facts;  // "kernel 7.2.13, tables 7.2 (verified)"

  // The release whose registers name the cases: the selected one; on a kernel without the ioctl
  // the oldest (every case skips); null when no release applies (TablesCoverKernel says why).
  const IdRegRelease* case_release() const;

  // The 192 words expected on this kernel and host; an Error when the tables or the probe failed.
  Result<std::array<uint64_t, kFeatureIdRangeSize>> expected() const;
};

// Loads id-registers.yaml (embedded or --kvmct-expected) once; fails only when it does not parse.
Status load_mask_tables();
const MaskTables& mask_tables();

// Registers WritableMasks*, WritableMasksRange.*, WritableMasksReserved.*, WritableMasksFault.*
// and one IdRegMask.<register> per register of the selected release.
Status register_writable_mask_tests();

}  // namespace kvmct::arm64
