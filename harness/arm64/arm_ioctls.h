// SPDX-License-Identifier: MIT
// The arm64-only ioctls, each wrapped once: KVM_ARM_PREFERRED_TARGET on a VM and
// KVM_ARM_VCPU_INIT on a vCPU (Documentation/virt/kvm/api.rst 4.82, 4.83). A vCPU's
// registers exist only after VCPU_INIT: ONE_REG before it fails with ENOEXEC.
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <initializer_list>

#include "core/kvm.h"
#include "core/result.h"

namespace kvmct::arm64 {

// The target (and no features) KVM prefers for this host's CPUs.
Result<kvm_vcpu_init> preferred_target(const Vm& vm);
Status vcpu_init(Vcpu& vcpu, const kvm_vcpu_init& init);
// The preferred target with the given KVM_ARM_VCPU_* feature bits set.
kvm_vcpu_init with_features(kvm_vcpu_init init, std::initializer_list<unsigned> features);

}  // namespace kvmct::arm64
