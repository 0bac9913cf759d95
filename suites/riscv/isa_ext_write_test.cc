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
  if (!reg.get()) KVMCT_SKIP(SkipKind::Absent) << absence_reason(ext, expect.host_has);
  KVMCT_READ(value, reg);
  KVMCT_JUDGE_ISA_EXT(ext, "default", std::to_string(value), expect.default_on ? "1" : "0",
                      "on when the host has it and enable is " + expect.enable_why + " (kvm_riscv_vcpu_setup_isa())",
                      "");
}

// One write before the first run: disable (1 -> 0) or enable (0 -> 1).
struct WriteDirection {
  const char* check;  // "disable" | "enable": the check name and the verb of messages
  uint64_t target;    // the value written
  bool IsaExtExpectation::*allowed;
  std::string IsaExtExpectation::*why;
  std::string IsaExtExpectation::*outcome;  // what the write returns, from the errno regime
  bool IsaExtExpectation::*way_back_allowed;  // the opposite write, to reach the starting value
  // The starting value cannot be reached: the disable case has nothing left to check (the
  // enable case covers an extension that is off for good); the enable case checks that
  // writing the current value is accepted.
  bool check_current_when_stuck;
};

constexpr WriteDirection kDisable{"disable", 0, &IsaExtExpectation::disable_allowed, &IsaExtExpectation::disable_why,
                                  &IsaExtExpectation::disable_outcome, &IsaExtExpectation::enable_allowed, false};
constexpr WriteDirection kEnable{"enable", 1, &IsaExtExpectation::enable_allowed, &IsaExtExpectation::enable_why,
                                 &IsaExtExpectation::enable_outcome, &IsaExtExpectation::disable_allowed, true};

void check_write(const Extension& ext, const WriteDirection& d) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_FRESH_VM(vm, 1);
  IsaExtRegister reg(vm.vcpu(0), ext.id);
  if (!reg.get()) KVMCT_SKIP(SkipKind::Absent) << absence_reason(ext, expect.host_has);
  KVMCT_READ(before, reg);
  const uint64_t start = 1 - d.target;
  if (before != start) {
    if (!(expect.*d.way_back_allowed)) {
      if (!d.check_current_when_stuck)
        KVMCT_SKIP(SkipKind::NotApplicable) << ext.name << " reads " << before << " and cannot be changed ("
                                            << (d.target ? "disable " + expect.disable_why : "enable " + expect.enable_why)
                                            << "); IsaExt" << (d.target ? "Disable" : "Enable") << " covers it";
      Status s = reg.set(before);
      KVMCT_JUDGE_ISA_EXT(ext, d.check, outcome(s), "ok", "writing the current value is accepted (riscv_vcpu_set_isa_ext_single())", "");
      return;
    }
    Status back = reg.set(start);
    ASSERT_TRUE(back) << back.error().to_string() << "; needed " << ext.name << " at " << start << " to test " << d.check;
  }
  Status s = reg.set(d.target);
  KVMCT_READ(after, reg);
  const bool allowed = expect.*d.allowed;
  KVMCT_JUDGE_ISA_EXT(ext, d.check, outcome(s), expect.*d.outcome, std::string(d.check) + ": " + expect.*d.why,
                      "");
  if (allowed)
    EXPECT_EQ(after, d.target) << ext.name << " reads " << after << " after a successful " << d.check;
  else
    EXPECT_EQ(after, start) << ext.name << " reads " << after << " after a refused " << d.check;
}

KVMCT_PER_EXTENSION_TEST(IsaExtDisable) { check_write(ext, kDisable); }
KVMCT_PER_EXTENSION_TEST(IsaExtEnable) { check_write(ext, kEnable); }

KVMCT_PER_EXTENSION_TEST(IsaExtWriteValues) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  IsaExtRegister reg(vcpu, ext.id);
  if (!reg.get()) KVMCT_SKIP(SkipKind::Absent) << absence_reason(ext, expect.host_has);
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
  current_test().subject = isa_ext_subject(*ext);
  KVMCT_EXPECTATION(expect, *ext);
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  IsaExtRegister reg(vcpu, ext->id);
  if (!reg.get()) KVMCT_SKIP(SkipKind::Absent) << absence_reason(*ext, expect.host_has);
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
