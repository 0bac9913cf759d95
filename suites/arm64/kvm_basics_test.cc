// SPDX-License-Identifier: MIT
// The ground every other arm64 case stands on (API version and ONE_REG: suites/kvm_api_test.cc):
// KVM names a preferred target, creates VMs and vCPUs that KVM_ARM_VCPU_INIT initialises, lists
// their registers; the host's CPU facts and kernel release are readable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>

#include "arm64/arm_ioctls.h"
#include "arm64/feature_id_regs.h"
#include "arm64/reg_id.h"
#include "core/kvm.h"
#include "suite_context.h"

namespace kvmct::arm64 {
namespace {

TEST(KvmBasics, PreferredTargetIsNamed) {
  Result<KvmSystem> kvm = KvmSystem::open();
  ASSERT_TRUE(kvm) << kvm.error().to_string();
  Result<Vm> vm = kvm->create_vm();
  ASSERT_TRUE(vm) << vm.error().to_string();
  Result<kvm_vcpu_init> target = preferred_target(*vm);
  ASSERT_TRUE(target) << target.error().to_string();
  RecordProperty("preferred_target", std::to_string(target->target));
  // api.rst 4.83: the preferred target comes with no features set; userspace chooses them.
  for (uint32_t word : target->features) EXPECT_EQ(word, 0u) << "KVM_ARM_PREFERRED_TARGET set feature bits";
}

// api.rst 4.68 / arm.c kvm_arch_vcpu_ioctl: register access needs an initialised vCPU.
TEST(KvmBasics, OneRegBeforeVcpuInitIsENOEXEC) {
  Result<KvmSystem> kvm = KvmSystem::open();
  ASSERT_TRUE(kvm) << kvm.error().to_string();
  Result<Vm> vm = kvm->create_vm(reg_name);
  ASSERT_TRUE(vm) << vm.error().to_string();
  Result<Vcpu> vcpu = vm->create_vcpu(0);
  ASSERT_TRUE(vcpu) << vcpu.error().to_string();
  EXPECT_EQ(vcpu->get_reg(core_reg_id(CoreReg::Pc)).err(), ENOEXEC);
  Result<kvm_vcpu_init> target = preferred_target(*vm);
  ASSERT_TRUE(target) << target.error().to_string();
  ASSERT_TRUE(vcpu_init(*vcpu, *target));
  Result<uint64_t> pc = vcpu->get_reg(core_reg_id(CoreReg::Pc));
  EXPECT_TRUE(pc) << pc.error().to_string();
}

TEST(KvmBasics, CreatesVmAndInitialisedVcpus) {
  Result<GuestVm> vm = context().fresh_vm(2);
  ASSERT_TRUE(vm) << vm.error().to_string();
  ASSERT_EQ(vm->vcpu_count(), 2u);
  // KVM's reset state (arch/arm64/kvm/reset.c): EL1h with D, A, I, F masked.
  Result<uint64_t> pstate = vm->vcpu(0).get_reg(core_reg_id(CoreReg::Pstate));
  ASSERT_TRUE(pstate) << pstate.error().to_string();
  EXPECT_EQ(*pstate, kEntryPstate);
}

// KVM_GET_REG_LIST of an initialised vCPU names the core pc and every feature ID register.
TEST(KvmBasics, RegListHasPcAndFeatureIdRegisters) {
  Result<GuestVm> vm = context().fresh_vm();
  ASSERT_TRUE(vm) << vm.error().to_string();
  Result<std::vector<uint64_t>> list = vm->vcpu(0).reg_list();
  ASSERT_TRUE(list) << list.error().to_string();
  RecordProperty("registers", std::to_string(list->size()));
  auto has = [&](uint64_t id) { return std::find(list->begin(), list->end(), id) != list->end(); };
  EXPECT_TRUE(has(core_reg_id(CoreReg::Pc))) << "KVM_GET_REG_LIST lacks CORE(pc)";
#define KVMCT_EXPECT_LISTED(name, op0, op1, crn, crm, op2) \
  EXPECT_TRUE(has(sys_reg_id({op0, op1, crn, crm, op2}))) << "KVM_GET_REG_LIST lacks " #name;
  KVMCT_FEATURE_ID_REGS(KVMCT_EXPECT_LISTED)
#undef KVMCT_EXPECT_LISTED
}

TEST(KvmBasics, HostCpuFeaturesReadable) {
  const Result<HostCpu>& cpu = context().host_cpu();
  ASSERT_TRUE(cpu) << cpu.error().to_string();
  EXPECT_GT(cpu->cpus, 0);
  // Every AArch64 Linux host has FP and AdvSIMD hwcaps unless built without them.
  EXPECT_TRUE(cpu->has("fp")) << "/proc/cpuinfo Features lacks fp";
  EXPECT_TRUE(cpu->id_registers_error.empty()) << cpu->id_registers_error;
  EXPECT_EQ(cpu->id_registers.size(), size_t{KVMCT_FEATURE_ID_REG_COUNT});
}

TEST(KvmBasics, KernelReleaseHasVersion) {
  RecordProperty("kernel_release", context().env().release());
  ASSERT_TRUE(context().env().kernel().has_value()) << "uname -r is '" << context().env().release() << "'";
}

}  // namespace
}  // namespace kvmct::arm64
