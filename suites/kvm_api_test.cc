// SPDX-License-Identifier: MIT
// KvmBasics cases of every architecture: /dev/kvm answers, speaks API 12 and has ONE_REG,
// the interface every other case reads and writes registers through.
#include <gtest/gtest.h>

#include <linux/kvm.h>

#include "core/kvm.h"

namespace kvmct {
namespace {

constexpr int kKvmApiVersion = 12;  // Documentation/virt/kvm/api.rst: "This is 12"

TEST(KvmBasics, ApiVersionIs12) {
  Result<KvmSystem> kvm = KvmSystem::open();
  ASSERT_TRUE(kvm) << kvm.error().to_string();
  Result<int> version = kvm->api_version();
  ASSERT_TRUE(version) << version.error().to_string();
  EXPECT_EQ(*version, kKvmApiVersion);
}

TEST(KvmBasics, HasCapOneReg) {
  Result<KvmSystem> kvm = KvmSystem::open();
  ASSERT_TRUE(kvm) << kvm.error().to_string();
  Result<int> cap = kvm->check_extension(KVM_CAP_ONE_REG);
  ASSERT_TRUE(cap) << cap.error().to_string();
  EXPECT_GT(*cap, 0) << "KVM_CHECK_EXTENSION(KVM_CAP_ONE_REG) is 0";
}

}  // namespace
}  // namespace kvmct
