// SPDX-License-Identifier: MIT
// MULTI_EN / MULTI_DIS: one bit per id in 64-bit words. GET agrees with SINGLE and DIS is
// the complement of EN; SET loops over the bits and ignores per-extension refusals, so
// after "disable everything" exactly the never-disable extensions are still on.
#include <gtest/gtest.h>

#include "isa_ext_checks.h"

namespace kvmct {
namespace {

using riscv::multi_bit;
using riscv::multi_word;
using riscv::RegId;

TEST(IsaExtMulti, GetAgreesWithSingle) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  const std::map<uint32_t, uint64_t> present = present_values(vcpu);
  const uint32_t words = multi_words(vcpu);
  ASSERT_GT(words, 0u) << "MULTI_EN word 0 is not readable";
  if (!present.empty()) {
    EXPECT_GT(words, multi_word(present.rbegin()->first))
        << "id " << present.rbegin()->first << " is present but its MULTI word is not readable";
  }
  for (uint32_t w = 0; w < words; ++w) {
    Result<uint64_t> en = vcpu.get_reg(RegId::isa_multi_en(w).raw());
    Result<uint64_t> dis = vcpu.get_reg(RegId::isa_multi_dis(w).raw());
    ASSERT_TRUE(en) << en.error().to_string();
    ASSERT_TRUE(dis) << dis.error().to_string();
    EXPECT_EQ(*dis, ~*en) << "MULTI_DIS[" << w << "] is not the complement of MULTI_EN[" << w << "]";
    for (uint32_t bit = 0; bit < RegId::kBitsPerMultiWord; ++bit) {
      const uint32_t id = w * RegId::kBitsPerMultiWord + bit;
      auto it = present.find(id);
      const uint64_t single = it == present.end() ? 0 : it->second;
      EXPECT_EQ((*en >> bit) & 1, single) << vcpu.reg_name(RegId::isa_ext(id).raw()) << " reads " << single
                                          << " but MULTI_EN[" << w << "] bit " << bit << " says otherwise";
    }
  }
}

TEST(IsaExtMulti, WordsPastLastAreENOENT) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  const uint32_t words = multi_words(vcpu);
  const uint32_t past = multi_word(context().catalogue().max_id() + 32) + 1;
  for (uint32_t w = std::max(words, past); w < std::max(words, past) + 2; ++w) {
    for (RegId id : {RegId::isa_multi_en(w), RegId::isa_multi_dis(w)}) {
      EXPECT_EQ(vcpu.get_reg(id.raw()).err(), ENOENT) << "GET " << id.to_string();
      EXPECT_EQ(vcpu.set_reg(id.raw(), ~0ULL).err(), ENOENT) << "SET " << id.to_string();
    }
  }
  // The first unreadable word must also refuse writes.
  EXPECT_EQ(vcpu.set_reg(RegId::isa_multi_dis(words).raw(), ~0ULL).err(), ENOENT) << "SET MULTI_DIS[" << words << "]";
}

TEST(IsaExtMulti, DisableAllLeavesOnlyNeverDisable) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  const std::map<uint32_t, uint64_t> before = present_values(vcpu);
  const uint32_t words = multi_words(vcpu);
  for (uint32_t w = 0; w < words; ++w) {
    Status s = vcpu.set_reg(RegId::isa_multi_dis(w).raw(), ~0ULL);
    EXPECT_TRUE(s) << s.error().to_string() << "; MULTI_DIS ignores per-extension refusals and returns 0";
  }
  const std::map<uint32_t, uint64_t> after = present_values(vcpu);
  for (const auto& [id, was] : before) {
    const Extension* ext = context().catalogue().by_id(id);
    if (!ext) continue;  // IsaExtPresence reports ids unknown to the catalogue
    KVMCT_EXPECTATION(expect, *ext);
    const uint64_t want = was && !expect.disable_allowed ? 1 : 0;
    EXPECT_EQ(after.at(id), want) << ext->name << " after MULTI_DIS of every bit; disable " << expect.disable_why;
  }
}

TEST(IsaExtMulti, EnableAllRestoresDefaults) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  const std::map<uint32_t, uint64_t> defaults = present_values(vcpu);
  const uint32_t words = multi_words(vcpu);
  for (uint32_t w = 0; w < words; ++w) ASSERT_TRUE(vcpu.set_reg(RegId::isa_multi_dis(w).raw(), ~0ULL));
  for (uint32_t w = 0; w < words; ++w) {
    Status s = vcpu.set_reg(RegId::isa_multi_en(w).raw(), ~0ULL);
    EXPECT_TRUE(s) << s.error().to_string();
  }
  EXPECT_EQ(present_values(vcpu), defaults) << "MULTI_EN of every bit after MULTI_DIS of every bit is not the default";
}

// The table's KVM_REG_RISCV_ISA_MULTI_REG_LAST for this release (policy.yaml `multi_reg_last`,
// rv64): words 0..LAST answer and the next is ENOENT. 0 up to 6.12, 1 from 6.13.
TEST(IsaExtMulti, ReadableWordsAreMultiRegLastPlusOne) {
  const Result<PolicySelection>& policy = context().policy();
  ASSERT_TRUE(policy) << policy.error().to_string();
  const Release& r = policy->effective.release;
  if (!r.multi_reg_last) KVMCT_SKIP(SkipKind::NotApplicable) << "release " << r.name() << " has no MULTI registers";
  KVMCT_FRESH_VM(vm, 1);
  const uint32_t words = multi_words(vm.vcpu(0));
  if (policy->newer_than_tables)  // a newer kernel may have more ids, never fewer
    EXPECT_GE(words, *r.multi_reg_last + 1) << "MULTI_EN words readable; release " << r.name() << " has LAST "
                                            << *r.multi_reg_last;
  else
    EXPECT_EQ(words, *r.multi_reg_last + 1) << "MULTI_EN words readable on release " << r.name()
                                            << "; policy.yaml multi_reg_last = " << *r.multi_reg_last;
}

}  // namespace
}  // namespace kvmct
