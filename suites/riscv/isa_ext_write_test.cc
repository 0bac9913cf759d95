// SPDX-License-Identifier: MIT
// Writing SINGLE ISA_EXT registers before the first run, extension by extension, against
// kvm_riscv_vcpu_isa_{enable,disable}_allowed(): allowed changes read back, refused ones
// are EINVAL and change nothing. Zaamo and Zalrsc can never be disabled: no hardware
// mechanism hides AMOs or LR/SC from a guest, so KVM must refuse, through SINGLE and MULTI.
#include <gtest/gtest.h>

#include "isa_ext_checks.h"
#include "per_extension_test.h"

namespace kvmct {
namespace {

using riscv::IsaExtRegister;
using riscv::RegSize;

// Reads the register, failing the test on error.
#define KVMCT_READ(var, reg)                                              \
  Result<uint64_t> var##_r = (reg).get();                                 \
  ASSERT_TRUE(var##_r) << var##_r.error().to_string();                    \
  const uint64_t var = *var##_r

KVMCT_PER_EXTENSION_TEST(IsaExtDefault) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_SHARED_VCPU(vcpu, pristine_vcpu);
  IsaExtRegister reg(vcpu, ext.id);
  if (!reg.get()) GTEST_SKIP() << absence_reason(ext, expect);
  KVMCT_READ(value, reg);
  record_check(ext, "default", std::to_string(value), expect.default_on ? "1" : "0");
  EXPECT_EQ(value, expect.default_on ? 1u : 0u)
      << ext.name << " on a fresh vCPU; expected " << expect.default_on << " because enable is " << expect.enable_why;
}

KVMCT_PER_EXTENSION_TEST(IsaExtDisable) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_FRESH_VM(vm, 1);
  IsaExtRegister reg(vm.vcpu(0), ext.id);
  if (!reg.get()) GTEST_SKIP() << absence_reason(ext, expect);
  KVMCT_READ(before, reg);
  if (before == 0) GTEST_SKIP() << ext.name << " is off by default (enable " << expect.enable_why << "); IsaExtEnable covers it";
  Status s = reg.set(0);
  KVMCT_READ(after, reg);
  record_check(ext, "disable", outcome(s), expect.disable_allowed ? "ok" : "EINVAL");
  if (expect.disable_allowed) {
    EXPECT_TRUE(s) << s.error().to_string() << "; expected success: disable " << expect.disable_why;
    EXPECT_EQ(after, 0u) << ext.name << " still reads 1 after a successful disable";
  } else {
    EXPECT_EQ(s.err(), EINVAL) << "disabling " << ext.name << " returned " << outcome(s) << "; expected EINVAL: disable "
                               << expect.disable_why;
    EXPECT_EQ(after, 1u) << ext.name << " reads 0 after a refused disable";
  }
}

KVMCT_PER_EXTENSION_TEST(IsaExtEnable) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_FRESH_VM(vm, 1);
  IsaExtRegister reg(vm.vcpu(0), ext.id);
  if (!reg.get()) GTEST_SKIP() << absence_reason(ext, expect);
  KVMCT_READ(before, reg);
  if (before == 1) {
    if (!expect.disable_allowed) {
      // Cannot be turned off, so enabling is writing the current value.
      Status s = reg.set(1);
      record_check(ext, "enable", outcome(s), "ok");
      EXPECT_TRUE(s) << s.error().to_string() << "; writing the current value must succeed";
      return;
    }
    Status off = reg.set(0);
    ASSERT_TRUE(off) << off.error().to_string();
  }
  Status s = reg.set(1);
  KVMCT_READ(after, reg);
  record_check(ext, "enable", outcome(s), expect.enable_allowed ? "ok" : "EINVAL");
  if (expect.enable_allowed) {
    EXPECT_TRUE(s) << s.error().to_string() << "; expected success: enable " << expect.enable_why;
    EXPECT_EQ(after, 1u) << ext.name << " reads 0 after a successful enable";
  } else {
    EXPECT_EQ(s.err(), EINVAL) << "enabling " << ext.name << " returned " << outcome(s) << "; expected EINVAL: enable "
                               << expect.enable_why;
    EXPECT_EQ(after, 0u) << ext.name << " reads 1 after a refused enable";
  }
}

KVMCT_PER_EXTENSION_TEST(IsaExtWriteValues) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  IsaExtRegister reg(vcpu, ext.id);
  if (!reg.get()) GTEST_SKIP() << absence_reason(ext, expect);
  KVMCT_READ(value, reg);
  Status same = reg.set(value);
  EXPECT_TRUE(same) << same.error().to_string() << "; writing the current value must succeed";
  Status two = reg.set(2);
  EXPECT_EQ(two.err(), EINVAL) << "writing 2 to " << ext.name << " returned " << outcome(two);
  // "if (KVM_REG_SIZE(reg->id) != sizeof(unsigned long)) return -EINVAL"
  const uint64_t narrow = reg.id().with_size(RegSize::U32).raw();
  Result<uint64_t> get32 = vcpu.get_reg(narrow);
  EXPECT_EQ(get32.err(), EINVAL) << "GET " << vcpu.reg_name(narrow) << " returned " << outcome(get32);
  Status set32 = vcpu.set_reg(narrow, value);
  EXPECT_EQ(set32.err(), EINVAL) << "SET " << vcpu.reg_name(narrow) << " returned " << outcome(set32);
  KVMCT_READ(after, reg);
  EXPECT_EQ(after, value) << "rejected writes changed " << ext.name;
}

// The two extensions that must never be disabled, by SINGLE and by MULTI_DIS.
void check_never_disabled(const char* name) {
  const Extension* ext = context().catalogue().by_name(name);
  ASSERT_NE(ext, nullptr) << name << " is missing from " << context().catalogue().file();
  KVMCT_EXPECTATION(expect, *ext);
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  IsaExtRegister reg(vcpu, ext->id);
  if (!reg.get()) GTEST_SKIP() << absence_reason(*ext, expect);
  // The invariant holds whatever the tables say (a backport may predate its policy range);
  // harness/tests/riscv/real_tables_test.cc keeps the tables in line with it.
  KVMCT_READ(before, reg);
  ASSERT_EQ(before, 1u) << name << " is present but off on a fresh vCPU";

  Status single = reg.set(0);
  EXPECT_EQ(single.err(), EINVAL) << "SINGLE disable of " << name << " returned " << outcome(single);
  KVMCT_READ(after_single, reg);
  EXPECT_EQ(after_single, 1u) << name << " reads 0 after SINGLE disable";

  // MULTI_DIS ignores per-extension refusals and returns 0; the value must stay 1.
  const uint64_t dis = riscv::RegId::isa_multi_dis(riscv::multi_word(ext->id)).raw();
  Status multi = vcpu.set_reg(dis, riscv::multi_bit(ext->id));
  EXPECT_TRUE(multi) << multi.error().to_string();
  KVMCT_READ(after_multi, reg);
  EXPECT_EQ(after_multi, 1u) << name << " reads 0 after MULTI_DIS";
  testing::Test::RecordProperty("single_disable", outcome(single));
  testing::Test::RecordProperty("multi_dis", outcome(multi));
}

TEST(IsaExtNeverDisable, Zaamo) { check_never_disabled("ZAAMO"); }
TEST(IsaExtNeverDisable, Zalrsc) { check_never_disabled("ZALRSC"); }

}  // namespace
}  // namespace kvmct
