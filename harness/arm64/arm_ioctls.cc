// SPDX-License-Identifier: MIT
// KVM_ARM_PREFERRED_TARGET and KVM_ARM_VCPU_INIT.
#include "arm64/arm_ioctls.h"

#include <sys/ioctl.h>

#include <cerrno>
#include <string>

namespace kvmct::arm64 {

Result<kvm_vcpu_init> preferred_target(const Vm& vm) {
  kvm_vcpu_init init{};
  if (::ioctl(vm.fd(), KVM_ARM_PREFERRED_TARGET, &init) < 0) return errno_error("KVM_ARM_PREFERRED_TARGET");
  return init;
}

Status vcpu_init(Vcpu& vcpu, const kvm_vcpu_init& init) {
  if (::ioctl(vcpu.fd(), KVM_ARM_VCPU_INIT, &init) < 0)
    return errno_error("KVM_ARM_VCPU_INIT vCPU " + std::to_string(vcpu.id()) + " target " +
                       std::to_string(init.target) + " features[0] " + hex(init.features[0]));
  return Ok{};
}

kvm_vcpu_init with_features(kvm_vcpu_init init, std::initializer_list<unsigned> features) {
  for (unsigned f : features) init.features[f / 32] |= 1u << (f % 32);
  return init;
}

}  // namespace kvmct::arm64
