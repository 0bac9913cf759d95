// SPDX-License-Identifier: MIT
// CONFIG isa mirrors the single-letter ISA_EXT registers; writing it coerces instead of
// failing (never-disable letters stay, never-enable letters drop, masked to the host), and
// a vCPU's ISA is its own: other vCPUs and other VMs are untouched by its changes.
#include <gtest/gtest.h>

#include "isa_ext_checks.h"

namespace kvmct {
namespace {

using riscv::ConfigReg;
using riscv::RegId;

constexpr uint64_t kIsaId = RegId::config(ConfigReg::Isa).raw();

uint64_t letter_bit(char letter) { return uint64_t{1} << (letter - 'a'); }

// Every present single-letter extension agrees with its CONFIG isa bit.
void expect_letters_agree(Vcpu& vcpu, const std::string& after_what) {
  Result<uint64_t> isa = vcpu.get_reg(kIsaId);
  ASSERT_TRUE(isa) << isa.error().to_string();
  for (const Extension& ext : context().catalogue().extensions()) {
    if (!ext.letter) continue;
    Result<uint64_t> single = riscv::IsaExtRegister(vcpu, ext.id).get();
    const uint64_t bit = (*isa & letter_bit(*ext.letter)) ? 1 : 0;
    EXPECT_EQ(single.ok() ? *single : 0, bit)
        << "after " << after_what << ": ISA_EXT.SINGLE(" << ext.name << ") = " << (single ? std::to_string(*single) : outcome(single))
        << " but CONFIG isa bit '" << *ext.letter << "' = " << bit;
  }
}

TEST(IsaExtConfigIsa, LettersAgreeWithSingle) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  expect_letters_agree(vcpu, "vCPU creation");
  Result<uint64_t> original = vcpu.get_reg(kIsaId);
  ASSERT_TRUE(original);
  for (const Extension& ext : context().catalogue().extensions()) {
    if (!ext.letter || !present_on(vcpu, ext)) continue;
    riscv::IsaExtRegister reg(vcpu, ext.id);
    Status s = reg.set(0);
    expect_letters_agree(vcpu, "SINGLE disable of " + ext.name + " (" + outcome(s) + ")");
  }
  ASSERT_TRUE(vcpu.set_reg(kIsaId, *original));
  expect_letters_agree(vcpu, "restoring CONFIG isa");
  Result<uint64_t> restored = vcpu.get_reg(kIsaId);
  ASSERT_TRUE(restored);
  EXPECT_EQ(*restored, *original) << "CONFIG isa did not come back to its value at creation";
}

TEST(IsaExtConfigIsa, ZeroKeepsForcedOnLetters) {
  const Result<PolicySelection>& policy = context().policy();
  ASSERT_TRUE(policy) << policy.error().to_string();
  const ConfigIsaRule& rule = policy->effective.config_isa;
  ASSERT_FALSE(rule.cite.empty()) << "policy release " << policy->effective.label() << " has no config_isa rule";
  const Result<riscv::HostIsa>& host = context().host_isa();
  ASSERT_TRUE(host) << host.error().to_string();
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  Status s = vcpu.set_reg(kIsaId, 0);
  EXPECT_TRUE(s) << s.error().to_string() << "; writing CONFIG isa coerces, it does not fail (" << rule.cite << ")";
  Result<uint64_t> isa = vcpu.get_reg(kIsaId);
  ASSERT_TRUE(isa);
  for (char letter = 'a'; letter <= 'z'; ++letter) {
    const bool forced = rule.forced_on.count(letter) && host->has(std::string(1, letter));
    EXPECT_EQ((*isa & letter_bit(letter)) != 0, forced)
        << "after writing 0, CONFIG isa letter '" << letter << "' is " << ((*isa & letter_bit(letter)) ? "set" : "clear")
        << "; policy forced_on = " << (rule.forced_on.count(letter) ? "yes" : "no") << " (" << rule.cite << ")";
  }
  expect_letters_agree(vcpu, "writing 0 to CONFIG isa");
}

TEST(IsaExtConfigIsa, AllOnesDropsForcedOffLetters) {
  const Result<PolicySelection>& policy = context().policy();
  ASSERT_TRUE(policy) << policy.error().to_string();
  const ConfigIsaRule& rule = policy->effective.config_isa;
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  // Bits 0..24 only: "if (fls(reg_val) >= RISCV_ISA_EXT_BASE) return -EINVAL" with
  // RISCV_ISA_EXT_BASE = 26 refuses bit 25 ('z') and above.
  Status s = vcpu.set_reg(kIsaId, (uint64_t{1} << 25) - 1);
  EXPECT_TRUE(s) << s.error().to_string();
  Result<uint64_t> isa = vcpu.get_reg(kIsaId);
  ASSERT_TRUE(isa);
  for (char letter : rule.forced_off)
    EXPECT_EQ(*isa & letter_bit(letter), 0u) << "CONFIG isa letter '" << letter << "' survived; policy forced_off ("
                                            << rule.cite << ")";
  expect_letters_agree(vcpu, "writing all letters to CONFIG isa");
  Status beyond = vcpu.set_reg(kIsaId, *isa | uint64_t{1} << 25);
  EXPECT_EQ(beyond.err(), EINVAL) << "CONFIG isa bit 25 ('z') returned " << outcome(beyond);
}

// Disables everything that can be disabled on vcpu; returns how many changed.
int disable_all(Vcpu& vcpu) {
  int n = 0;
  for (const auto& [id, value] : present_values(vcpu))
    if (value && vcpu.set_reg(RegId::isa_ext(id).raw(), 0)) ++n;
  return n;
}

TEST(IsaExtIndependence, OtherVcpuUntouched) {
  KVMCT_FRESH_VM(vm, 2);
  const std::map<uint32_t, uint64_t> before = present_values(vm.vcpu(1));
  const int changed = disable_all(vm.vcpu(0));
  ASSERT_GT(changed, 0) << "no extension could be disabled, so independence cannot be shown";
  EXPECT_NE(present_values(vm.vcpu(0)), before);
  EXPECT_EQ(present_values(vm.vcpu(1)), before) << "disabling " << changed << " extensions on vCPU 0 changed vCPU 1";
}

TEST(IsaExtIndependence, OtherVmUntouched) {
  KVMCT_FRESH_VM(first, 1);
  KVMCT_FRESH_VM(second, 1);
  const std::map<uint32_t, uint64_t> before = present_values(second.vcpu(0));
  const int changed = disable_all(first.vcpu(0));
  ASSERT_GT(changed, 0) << "no extension could be disabled, so independence cannot be shown";
  EXPECT_EQ(present_values(second.vcpu(0)), before) << "disabling " << changed << " extensions in one VM changed another VM";
}

}  // namespace
}  // namespace kvmct
