// SPDX-License-Identifier: MIT
// Reading a kernel .config: set, modular, "is not set", absent, and no config at all.
#include <gtest/gtest.h>

#include "expect/kernel_config.h"

namespace kvmct {
namespace {

TEST(KernelConfig, ReadsTheStatesOfOptions) {
  const KernelConfig c = KernelConfig::parse(
      "# comment\nCONFIG_KVM=m\nCONFIG_RISCV_USER_CFI=y\n# CONFIG_RISCV_SBI_V01 is not set\nCONFIG_NR_CPUS=\"64\"\n"
      "CONFIG_LOCALVERSION=\"\"\nCONFIG_YES_NO_NEWLINE=y",
      "/kernel.config");
  EXPECT_TRUE(c.known());
  EXPECT_EQ(c.source(), "/kernel.config");
  EXPECT_EQ(c.state("KVM"), ConfigState::Module);
  EXPECT_EQ(c.state("RISCV_USER_CFI"), ConfigState::Yes);
  EXPECT_EQ(c.state("YES_NO_NEWLINE"), ConfigState::Yes);
  EXPECT_EQ(c.state("RISCV_SBI_V01"), ConfigState::No);
  EXPECT_EQ(c.state("NR_CPUS"), ConfigState::No);   // a value, not a bool
  EXPECT_EQ(c.state("NOT_THERE"), ConfigState::No);  // unmet dependencies leave no line
  // A prefix of a set option is not set itself.
  EXPECT_EQ(c.state("RISCV_USER"), ConfigState::No);
}

TEST(KernelConfig, NoConfigKnowsNothing) {
  const KernelConfig none;
  EXPECT_FALSE(none.known());
  EXPECT_EQ(none.state("KVM"), ConfigState::Unknown);
}

TEST(KernelConfig, AnUnreadableFileIsAnError) {
  Result<KernelConfig> r = KernelConfig::read("/nonexistent/kernel.config");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.err(), ENOENT);
}

}  // namespace
}  // namespace kvmct
