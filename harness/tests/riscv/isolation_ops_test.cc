// SPDX-License-Identifier: MIT
// The isolation payload's op list (guest-payloads/riscv/isolation/isolation_ops.h) as the host
// reads it, and the per-VM sequences AtomicIsolation tells apart.
#include <gtest/gtest.h>

#include <set>

#include "riscv/expect/expectations.h"
#include "riscv/isolation_ops.h"

namespace kvmct {
namespace {

using riscv::isolation_base;
using riscv::isolation_final;
using riscv::isolation_ops;
using riscv::isolation_vm_of;

TEST(IsolationOps, NumbersArePositionsAndExtensionsAreCatalogued) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_ROOT "/riscv");
  ASSERT_TRUE(e) << e.error().to_string();
  std::set<std::string_view> seen;
  for (size_t i = 0; i < isolation_ops().size(); i++) {
    const riscv::IsolationOp& op = isolation_ops()[i];
    EXPECT_EQ(op.number, i) << op.name;
    EXPECT_TRUE(seen.insert(op.name).second) << op.name << " is listed twice";
    if (!op.extension.empty()) EXPECT_NE(e->catalogue.by_name(op.extension), nullptr) << op.name << ": " << op.extension;
    for (unsigned w : op.widths) EXPECT_TRUE(w == 1 || w == 2 || w == 4 || w == 8) << op.name << ": width " << w;
  }
  EXPECT_EQ(isolation_ops().size(), 4u);
  EXPECT_EQ(isolation_ops()[2].extension, "ZACAS");
  EXPECT_GE(KVMCT_ISOLATION_LR_EXIT_OP, isolation_ops().size()) << "the LR exit op must not be an op's number";
  EXPECT_LE(KVMCT_ISOLATION_SLOTS * KVMCT_ISOLATION_SLOT_BYTES, 4096) << "every slot on the one page";
}

TEST(IsolationOps, TheTwoVmsSequencesNeverMeet) {
  for (unsigned width : {1u, 2u, 4u, 8u}) {
    const uint64_t a = isolation_base(0, width), b = isolation_base(1, width);
    EXPECT_EQ(isolation_vm_of(a), 0u) << width;
    EXPECT_EQ(isolation_vm_of(b), 1u) << width;
    // Adding the stride keeps the residue, wrapping or not: no count reaches the other VM.
    for (uint64_t n : {uint64_t{1}, uint64_t{12345}, uint64_t{1} << 40}) {
      EXPECT_EQ(isolation_vm_of(isolation_final(a, n, width)), 0u) << width << " " << n;
      EXPECT_EQ(isolation_vm_of(isolation_final(b, n, width)), 1u) << width << " " << n;
    }
  }
  EXPECT_EQ(isolation_base(0, 4), 0xa0000000u);
  EXPECT_EQ(isolation_base(1, 8), 0xb000000000000001u);
  EXPECT_EQ(isolation_base(1, 1), 1u);
  EXPECT_EQ(isolation_final(isolation_base(0, 1), 200, 1), 400u % 256);
  EXPECT_EQ(isolation_final(isolation_base(1, 4), 10, 4), 0xb0000015u);
}

}  // namespace
}  // namespace kvmct
