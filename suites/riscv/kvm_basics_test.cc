// SPDX-License-Identifier: MIT
// The ground every other riscv case stands on (API version and ONE_REG: suites/kvm_api_test.cc):
// creates VMs and vCPUs; the host device tree and kernel release are readable.
#include <gtest/gtest.h>

#include "core/kvm.h"
#include "suite_context.h"

namespace kvmct {
namespace {

TEST(KvmBasics, CreatesVmAndVcpu) {
  Result<riscv::GuestVm> vm = context().fresh_vm(2);
  ASSERT_TRUE(vm) << vm.error().to_string();
  EXPECT_EQ(vm->vcpu_count(), 2u);
}

TEST(KvmBasics, HostDeviceTreeReadable) {
  const Result<riscv::HostIsa>& isa = context().host_isa();
  ASSERT_TRUE(isa) << isa.error().to_string();
  EXPECT_GT(isa->harts, 0);
  EXPECT_TRUE(isa->has("i")) << "host device tree lists no 'i': " << isa->isa_string;
  RecordProperty("host_isa", isa->isa_string);
  RecordProperty("host_isa_source", isa->source);
}

TEST(KvmBasics, KernelReleaseHasVersion) {
  RecordProperty("kernel_release", context().release());
  ASSERT_TRUE(context().kernel().has_value()) << "uname -r is '" << context().release() << "'";
}

TEST(KvmBasics, PolicyCoversKernel) {
  const Result<PolicySelection>& p = context().policy();
  ASSERT_TRUE(p) << p.error().to_string();
  RecordProperty("policy_release", p->effective.release.name());
  if (p->newer_than_tables)
    std::cout << "    # kernel " << context().release() << " is newer than the tables: using release "
              << p->effective.label() << "\n";
}

}  // namespace
}  // namespace kvmct
