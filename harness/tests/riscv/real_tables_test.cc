// SPDX-License-Identifier: MIT
// The tables in expected/ load, and hold the project's fixed facts: Zaamo (69) and Zalrsc
// (70) are never disabled where the kernel knows them, and every range has a config rule.
#include <gtest/gtest.h>

#include "riscv/expect/expectations.h"

namespace kvmct {
namespace {

TEST(RealTables, LoadWithoutErrors) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_DIR);
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(e->catalogue.by_name("ZAAMO")->id, 69u);
  EXPECT_EQ(e->catalogue.by_name("ZALRSC")->id, 70u);
  EXPECT_GE(e->catalogue.max_id(), 77u) << "7.x ends at ZALASR = 77";
}

TEST(RealTables, ZaamoZalrscNeverDisabledWhereKnown) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_DIR);
  ASSERT_TRUE(e) << e.error().to_string();
  for (const PolicyRange& r : e->policy.ranges()) {
    EXPECT_FALSE(r.config_isa.cite.empty()) << "range " << r.range_text() << " has no config_isa rule";
    for (const char* name : {"ZAAMO", "ZALRSC"}) {
      if (r.before && !(e->catalogue.by_name(name)->since < *r.before)) continue;  // range predates the id
      EXPECT_TRUE(r.never_disable.extensions.count(name)) << name << " is disableable in range " << r.range_text();
    }
  }
}

}  // namespace
}  // namespace kvmct
