// SPDX-License-Identifier: MIT
// The catalogue's host_config: a host kernel built without the option drops the extension
// the device tree names, so KVM has no register for it; unknown config trusts the tree.
#include <gtest/gtest.h>

#include "riscv/expect/host_kernel.h"

namespace kvmct {
namespace {

Extension zicfiss() {
  Extension e;
  e.name = "ZICFISS";
  e.id = 79;
  e.host = {"zicfiss"};
  e.host_config = "RISCV_USER_CFI";
  e.host_config_cite = "cpufeature.c:310-318";
  return e;
}

IsaExtExpectation present() {
  IsaExtExpectation e;
  e.host_has = true;
  e.presence = Presence::Required;
  e.enable_allowed = e.disable_allowed = e.default_on = true;
  return e;
}

TEST(HostKernelGate, BuiltWithoutTheOptionDropsTheExtension) {
  const HostKernelGate g = host_kernel_gate(zicfiss(), KernelConfig::parse("CONFIG_KVM=m\n", "built/.config"));
  EXPECT_FALSE(g.keeps);
  EXPECT_EQ(g.state, ConfigState::No);
  EXPECT_EQ(g.why, "the host kernel was built without CONFIG_RISCV_USER_CFI (built/.config; cpufeature.c:310-318)");
  IsaExtExpectation e = present();
  apply_host_kernel_gate(e, g);
  EXPECT_FALSE(e.host_has);
  EXPECT_EQ(e.presence, Presence::Absent);
  EXPECT_FALSE(e.default_on);
}

TEST(HostKernelGate, BuiltWithTheOptionKeepsIt) {
  const HostKernelGate g = host_kernel_gate(zicfiss(), KernelConfig::parse("CONFIG_RISCV_USER_CFI=y\n", "c"));
  EXPECT_TRUE(g.keeps);
  IsaExtExpectation e = present();
  apply_host_kernel_gate(e, g);
  EXPECT_TRUE(e.host_has);
  EXPECT_EQ(e.presence, Presence::Required);
}

TEST(HostKernelGate, UnknownConfigTrustsTheDeviceTree) {
  const HostKernelGate g = host_kernel_gate(zicfiss(), KernelConfig());
  EXPECT_TRUE(g.keeps);
  EXPECT_EQ(g.state, ConfigState::Unknown);
}

TEST(HostKernelGate, NoConditionNoGate) {
  Extension a = zicfiss();
  a.host_config.clear();
  const HostKernelGate g = host_kernel_gate(a, KernelConfig::parse("", "c"));
  EXPECT_TRUE(g.keeps);
  EXPECT_TRUE(g.why.empty());
}

}  // namespace
}  // namespace kvmct
