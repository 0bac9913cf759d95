// SPDX-License-Identifier: MIT
// arm64 ONE_REG ids: the numbers match the UAPI encoding and decode back to names.
#include <gtest/gtest.h>

#include "arm64/feature_id_regs.h"
#include "arm64/reg_id.h"

namespace kvmct::arm64 {
namespace {

TEST(Arm64RegId, CoreRegistersMatchTheUapi) {
  // KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | offsetof(struct kvm_regs, regs.pc) / 4
  EXPECT_EQ(core_reg_id(CoreReg::Pc), 0x6030000000100040ULL);
  EXPECT_EQ(core_reg_id(CoreReg::Pstate), 0x6030000000100042ULL);
  EXPECT_EQ(core_reg_id(CoreReg::X1), 0x6030000000100002ULL);
  EXPECT_EQ(reg_name(core_reg_id(CoreReg::Pc)), "CORE(pc)");
  EXPECT_EQ(reg_name(core_reg_id(CoreReg::Pstate)), "CORE(pstate)");
  EXPECT_EQ(reg_name(core_reg_id(CoreReg::X1)), "CORE(x1)");
}

TEST(Arm64RegId, SystemRegistersMatchArm64SysReg) {
  // ARM64_SYS_REG(3, 0, 0, 6, 0): op0 << 14 | op1 << 11 | CRn << 7 | CRm << 3 | op2.
  EXPECT_EQ(sys_reg_id({3, 0, 0, 6, 0}), 0x603000000013c030ULL);
  EXPECT_EQ(sys_reg_id({3, 3, 0, 0, 1}), 0x603000000013d801ULL) << "CTR_EL0";
  EXPECT_EQ(reg_name(sys_reg_id({3, 0, 0, 6, 0})), "ID_AA64ISAR0_EL1");
  EXPECT_EQ(reg_name(sys_reg_id({3, 0, 0, 6, 7})), "S3_0_C0_C6_7") << "not a listed register";
  std::optional<SysRegEncoding> enc = sys_reg_encoding(sys_reg_id({3, 3, 14, 0, 2}));
  ASSERT_TRUE(enc);
  EXPECT_EQ(*enc, (SysRegEncoding{3, 3, 14, 0, 2}));
  EXPECT_FALSE(sys_reg_encoding(core_reg_id(CoreReg::Pc))) << "a core register is no system register";
  EXPECT_FALSE(sys_reg_encoding(sys_reg_id({3, 0, 0, 6, 0}) | 0x10000000ULL)) << "stray bits";
  EXPECT_FALSE(sys_reg_encoding(0x8030000000130000ULL)) << "another architecture";
  EXPECT_EQ(reg_name(0x8030000000130000ULL), "arm64 reg 0x8030000000130000");
}

TEST(Arm64RegId, EveryFeatureIdRegisterRoundTrips) {
  EXPECT_EQ(KVMCT_FEATURE_ID_REG_COUNT, 19);
#define KVMCT_ROUND_TRIP(name, op0, op1, crn, crm, op2)                         \
  EXPECT_EQ(reg_name(sys_reg_id({op0, op1, crn, crm, op2})), #name);           \
  EXPECT_EQ(feature_id_reg(#name), (SysRegEncoding{op0, op1, crn, crm, op2})); \
  EXPECT_EQ(op0, 3);                                                            \
  EXPECT_EQ(crn, 0);
  KVMCT_FEATURE_ID_REGS(KVMCT_ROUND_TRIP)
#undef KVMCT_ROUND_TRIP
  EXPECT_FALSE(feature_id_reg("ID_AA64NONE_EL1"));
}

}  // namespace
}  // namespace kvmct::arm64
