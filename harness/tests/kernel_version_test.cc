// SPDX-License-Identifier: MIT
// Kernel release parsing and ordering.
#include <gtest/gtest.h>

#include "expect/kernel_version.h"

namespace kvmct {
namespace {

TEST(KernelVersion, ParsesDebianReleases) {
  EXPECT_EQ(KernelVersion::parse("7.2.13+deb14-riscv64"), (KernelVersion{7, 2, 13}));
  EXPECT_EQ(KernelVersion::parse("6.12.107+deb13-riscv64"), (KernelVersion{6, 12, 107}));
  EXPECT_EQ(KernelVersion::parse("6.15"), (KernelVersion{6, 15, 0}));
  EXPECT_EQ(KernelVersion::parse("7.0-rc3"), (KernelVersion{7, 0, 0}));
}

TEST(KernelVersion, RejectsNonVersions) {
  EXPECT_FALSE(KernelVersion::parse(""));
  EXPECT_FALSE(KernelVersion::parse("linux"));
  EXPECT_FALSE(KernelVersion::parse("7"));
  EXPECT_FALSE(KernelVersion::parse("7."));
  EXPECT_FALSE(KernelVersion::parse("7-2"));
  EXPECT_FALSE(KernelVersion::parse("7.2.x")) << "a dot after minor must start the patch number";
}

TEST(KernelVersion, OrdersNumerically) {
  EXPECT_LT((KernelVersion{6, 9, 0}), (KernelVersion{6, 12, 0}));
  EXPECT_LT((KernelVersion{6, 12, 107}), (KernelVersion{7, 0, 0}));
  EXPECT_LT((KernelVersion{6, 12, 9}), (KernelVersion{6, 12, 10}));
  EXPECT_EQ(KernelVersion::parse("6.12.3")->to_string(), "6.12.3");
}

}  // namespace
}  // namespace kvmct
