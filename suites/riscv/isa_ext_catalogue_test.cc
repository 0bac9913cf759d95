// SPDX-License-Identifier: MIT
// The catalogue knows every ISA_EXT id the kernel has. One test names the ids KVM answers
// (SINGLE GET or KVM_GET_REG_LIST) that the catalogue lacks; every other test judges only ids
// the catalogue knows, so a kernel newer than the tables fails here and nowhere else.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "isa_ext_checks.h"
#include "test_record.h"

namespace kvmct {
namespace {

using riscv::RegId;

TEST(IsaExtCatalogue, KnowsEveryKernelId) {
  KVMCT_SHARED_VCPU(vcpu, pristine_vcpu);
  Result<std::vector<uint64_t>> list = vcpu.reg_list();
  ASSERT_TRUE(list) << list.error().to_string();
  std::set<uint32_t> kernel_ids;
  for (const auto& [id, value] : present_values(vcpu)) kernel_ids.insert(id);
  for (uint64_t raw : *list)
    if (RegId(raw).is_isa_ext_single()) kernel_ids.insert(RegId(raw).index());
  const Catalogue& catalogue = context().catalogue();
  Json unknown = Json::array();
  std::ostringstream names;
  for (uint32_t id : kernel_ids) {
    if (catalogue.by_id(id)) continue;
    unknown.push_back(id);
    names << (names.tellp() > 0 ? ", " : "") << id;
  }
  current_test().unknown_ids = unknown;
  EXPECT_TRUE(names.str().empty()) << "KVM has ISA_EXT ids " << names.str() << " that " << catalogue.file()
                                   << " lacks (its last id is " << catalogue.max_id()
                                   << "): add them from the kernel's arch/riscv/include/uapi/asm/kvm.h "
                                      "(tools/kvmct catalogue --header PATH prints the lines)";
}

}  // namespace
}  // namespace kvmct
