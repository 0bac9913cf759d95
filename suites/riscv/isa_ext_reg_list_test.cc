// SPDX-License-Identifier: MIT
// KVM_GET_REG_LIST lists the SINGLE ISA_EXT register of every host-available extension,
// whether or not the guest has it enabled, and never the MULTI words (vcpu_onereg.c
// copy_isa_ext_reg_indices()); a short buffer is E2BIG with the needed count.
#include <gtest/gtest.h>

#include <set>

#include "isa_ext_checks.h"

namespace kvmct {
namespace {

using riscv::RegId;
using riscv::RegType;

std::set<uint32_t> listed_isa_ext_ids(const std::vector<uint64_t>& list, std::vector<std::string>* non_single) {
  std::set<uint32_t> ids;
  for (uint64_t raw : list) {
    RegId id(raw);
    if (!id.is_riscv() || id.type() != RegType::IsaExt) continue;
    if (id.is_isa_ext_single()) ids.insert(id.index());
    else if (non_single) non_single->push_back(id.to_string());
  }
  return ids;
}

std::set<uint32_t> keys(const std::map<uint32_t, uint64_t>& m) {
  std::set<uint32_t> out;
  for (const auto& [k, v] : m) out.insert(k);
  return out;
}

TEST(IsaExtRegList, ListsExactlyPresentIds) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  Result<std::vector<uint64_t>> list = vcpu.reg_list();
  ASSERT_TRUE(list) << list.error().to_string();
  std::vector<std::string> non_single;
  EXPECT_EQ(listed_isa_ext_ids(*list, &non_single), keys(present_values(vcpu)));
  EXPECT_TRUE(non_single.empty()) << "KVM_GET_REG_LIST lists ISA_EXT registers other than SINGLE: " << non_single.front();
}

TEST(IsaExtRegList, UnchangedByDisabling) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  Result<std::vector<uint64_t>> before = vcpu.reg_list();
  ASSERT_TRUE(before) << before.error().to_string();
  int disabled = 0;
  for (const auto& [id, value] : present_values(vcpu))
    if (value && vcpu.set_reg(RegId::isa_ext(id).raw(), 0)) ++disabled;
  RecordProperty("disabled", disabled);
  Result<std::vector<uint64_t>> after = vcpu.reg_list();
  ASSERT_TRUE(after) << after.error().to_string();
  EXPECT_EQ(listed_isa_ext_ids(*after, nullptr), listed_isa_ext_ids(*before, nullptr))
      << "disabling " << disabled << " extensions changed the listed ISA_EXT registers";
}

TEST(IsaExtRegList, ShortBufferIsE2BIG) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  uint64_t needed = 0;
  Result<std::vector<uint64_t>> empty = vcpu.reg_list(0, &needed);
  EXPECT_EQ(empty.err(), E2BIG);
  ASSERT_GT(needed, 1u);
  uint64_t needed_again = 0;
  Result<std::vector<uint64_t>> short_by_one = vcpu.reg_list(needed - 1, &needed_again);
  EXPECT_EQ(short_by_one.err(), E2BIG);
  EXPECT_EQ(needed_again, needed) << "E2BIG must report the needed count";
  Result<std::vector<uint64_t>> exact = vcpu.reg_list(needed);
  ASSERT_TRUE(exact) << exact.error().to_string();
  EXPECT_EQ(exact->size(), needed);
}

}  // namespace
}  // namespace kvmct
