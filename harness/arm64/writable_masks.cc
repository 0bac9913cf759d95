// SPDX-License-Identifier: MIT
// KVM_ARM_GET_REG_WRITABLE_MASKS and the host AArch32 EL0 probe its AArch32 rows depend on.
#include "arm64/writable_masks.h"

#include <sys/ioctl.h>
#include <sys/personality.h>

#include <cerrno>
#include <string>

namespace kvmct::arm64 {

Status get_reg_writable_masks(const Vm& vm, const reg_mask_range* arg) {
  // The message never reads *arg: a bad argument pointer is one of the cases.
  if (::ioctl(vm.fd(), KVM_ARM_GET_REG_WRITABLE_MASKS, arg) < 0)
    return errno_error("KVM_ARM_GET_REG_WRITABLE_MASKS argument " + hex(reinterpret_cast<uint64_t>(arg)));
  return Ok{};
}

Result<WritableMasks> writable_masks(const Vm& vm) {
  WritableMasks masks{};
  reg_mask_range arg{};
  arg.addr = reinterpret_cast<uint64_t>(masks.data());
  arg.range = KVM_ARM_FEATURE_ID_RANGE;
  if (Status s = get_reg_writable_masks(vm, &arg); !s) return s.error();
  return masks;
}

Result<bool> host_has_aarch32_el0() {
  const int old = ::personality(0xffffffff);  // query only
  if (old < 0) return errno_error("personality(query)");
  const int r = ::personality(static_cast<unsigned long>((old & ~PER_MASK) | PER_LINUX32));
  if (r < 0) {
    if (errno == EINVAL) return false;
    return errno_error("personality(PER_LINUX32)");
  }
  if (::personality(static_cast<unsigned long>(old)) < 0) return errno_error("personality(restore)");
  return true;
}

}  // namespace kvmct::arm64
