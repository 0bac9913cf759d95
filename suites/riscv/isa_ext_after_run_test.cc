// SPDX-License-Identifier: MIT
// After the first KVM_RUN the guest's ISA is fixed: any change through SINGLE or CONFIG isa
// is EBUSY, MULTI writes return 0 but change nothing, and writing the current value is 0
// (vcpu_onereg.c: ran_atleast_once, set at the top of the first KVM_RUN).
#include <gtest/gtest.h>

#include "isa_ext_checks.h"
#include "per_extension_test.h"

namespace kvmct {
namespace {

using riscv::IsaExtRegister;
using riscv::RegId;

KVMCT_PER_EXTENSION_TEST(IsaExtAfterRun) {
  KVMCT_EXPECTATION(expect, ext);
  // Shared by every extension: a refused change leaves nothing behind, and a change that
  // KVM wrongly accepts fails this case (the value is read afresh by the next one).
  KVMCT_SHARED_VCPU(vcpu, ran_once_vcpu);
  IsaExtRegister reg(vcpu, ext.id);
  Result<uint64_t> value = reg.get();
  if (!value) KVMCT_SKIP(SkipKind::Absent) << absence_reason(ext, expect.host_has);

  Status same = reg.set(*value);
  EXPECT_EQ(outcome(same), expect.same_value_after_run_outcome)
      << "writing the current value after the first run (errno regime " << context().policy()->effective.errno_regime.name << ")";
  Status change = reg.set(*value ? 0 : 1);
  KVMCT_JUDGE_ISA_EXT(ext, "after_run", outcome(change), expect.after_run_outcome,
                      "any change after the first KVM_RUN is refused (ran_atleast_once; errno regime " +
                          context().policy()->effective.errno_regime.name + ")",
                      "writing " + std::to_string(*value ? 0 : 1) + " over " + std::to_string(*value));
  Result<uint64_t> after = reg.get();
  ASSERT_TRUE(after) << after.error().to_string();
  EXPECT_EQ(*after, *value) << ext.name << " changed after the first KVM_RUN";
}

TEST(IsaExtAfterRun, MultiWritesChangeNothing) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  ASSERT_TRUE(run_once(vm));
  const std::map<uint32_t, uint64_t> before = present_values(vcpu);
  for (uint32_t w = 0; vcpu.get_reg(RegId::isa_multi_en(w).raw()); ++w) {
    for (RegId id : {RegId::isa_multi_dis(w), RegId::isa_multi_en(w)}) {
      Status s = vcpu.set_reg(id.raw(), ~0ULL);
      EXPECT_TRUE(s) << s.error().to_string() << "; MULTI set ignores per-extension EBUSY and returns 0";
      EXPECT_EQ(present_values(vcpu), before) << "SET " << id.to_string() << " changed the ISA after the first run";
    }
  }
}

TEST(IsaExtAfterRun, ConfigIsaChangeIsEBUSY) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  const uint64_t isa_id = RegId::config(riscv::ConfigReg::Isa).raw();
  Result<uint64_t> isa = vcpu.get_reg(isa_id);
  ASSERT_TRUE(isa) << isa.error().to_string();
  ASSERT_TRUE(run_once(vm));
  Status same = vcpu.set_reg(isa_id, *isa);
  EXPECT_TRUE(same) << same.error().to_string() << "; writing the current CONFIG isa after the first run must succeed";
  // Clearing D ('d' - 'a') is a change KVM would accept before the first run.
  const uint64_t changed = *isa ^ (uint64_t{1} << ('d' - 'a'));
  Status change = vcpu.set_reg(isa_id, changed);
  EXPECT_EQ(change.err(), EBUSY) << "changing CONFIG isa after the first run returned " << outcome(change);
  Result<uint64_t> after = vcpu.get_reg(isa_id);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, *isa);
}

}  // namespace
}  // namespace kvmct
