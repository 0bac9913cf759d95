// SPDX-License-Identifier: MIT
// The traps payload's one scenario list (guest-payloads/riscv/traps/trap_scenarios.h) as the
// host reads it, and expected/riscv/atomic-traps.yaml held to exactly those scenarios; the
// lrsc payload's list likewise.
#include <gtest/gtest.h>

#include <set>

#include "read_text.h"
#include "riscv/expect/atomic_traps.h"
#include "riscv/lrsc_scenarios.h"
#include "riscv/trap_scenarios.h"

namespace kvmct {
namespace {

using riscv::trap_scenario_names;
using riscv::trap_scenarios;

TEST(TrapScenarios, NumbersArePositionsAndNamesAreUnique) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < trap_scenarios().size(); i++) {
    EXPECT_EQ(trap_scenarios()[i].number, i) << trap_scenarios()[i].name;
    EXPECT_TRUE(seen.insert(trap_scenarios()[i].name).second) << trap_scenarios()[i].name << " is listed twice";
  }
  EXPECT_EQ(trap_scenarios().size(), 17u);
  EXPECT_EQ(trap_scenarios()[6].name, "MisalignedScW");
  EXPECT_EQ(trap_scenarios()[6].kind, riscv::TrapKind::Sc);
  EXPECT_EQ(trap_scenarios()[9].kind, riscv::TrapKind::Store);
}

TEST(TrapScenarios, RealTableHasOneCasePerScenario) {
  const std::string path = std::string(KVMCT_EXPECTED_ROOT "/riscv") + "/atomic-traps.yaml";
  Result<TrapTable> t = TrapTable::parse(read_text(path), path, trap_scenario_names());
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(t->cases.size(), trap_scenarios().size());
  ASSERT_TRUE(t->cases.count("UnmappedLoadD"));
  EXPECT_TRUE(t->cases.find("MisalignedAmoaddW")->second.known_bug.has_value());
}

TEST(TrapScenarios, LoaderRefusesUnknownAndMissingCases) {
  const std::string_view two[] = {"MisalignedAmoaddW", "UnmappedLoadD"};
  const std::string both =
      "cases:\n  MisalignedAmoaddW: {allowed: [store-misaligned]}\n  UnmappedLoadD: {allowed: [mmio-exit]}\n";
  ASSERT_TRUE(TrapTable::parse(both, "t.yaml", two));

  Result<TrapTable> typo = TrapTable::parse(both + "  UnmappedLoadW: {allowed: [mmio-exit]}\n", "t.yaml", two);
  ASSERT_FALSE(typo) << "UnmappedLoadW is not a scenario";
  EXPECT_NE(typo.error().what.find("UnmappedLoadW is not a scenario of the traps payload"), std::string::npos)
      << typo.error().what;
  EXPECT_EQ(typo.error().what.rfind("t.yaml:4: ", 0), 0u) << typo.error().what;

  Result<TrapTable> missing = TrapTable::parse("cases:\n  UnmappedLoadD: {allowed: [mmio-exit]}\n", "t.yaml", two);
  ASSERT_FALSE(missing) << "MisalignedAmoaddW has no case";
  EXPECT_NE(missing.error().what.find("MisalignedAmoaddW has no case"), std::string::npos) << missing.error().what;
}

// A known bug says whose it is; the label in every report comes from this field.
TEST(TrapScenarios, KnownBugNamesItsOwner) {
  const std::string_view one[] = {"MisalignedAmoaddW"};
  auto with_owner = [&](const std::string& owner_line) {
    return TrapTable::parse("known_bugs:\n  mpv:\n    platform: \"qemu-10.0.*\"\n" + owner_line +
                                "    summary: s\n    details: d\n"
                                "cases:\n  MisalignedAmoaddW:\n    allowed: [store-misaligned]\n"
                                "    known_bug: {bug: mpv, outcomes: [{since: \"6.12\", outcome: kvm-run-EOPNOTSUPP}]}\n",
                            "t.yaml", one);
  };
  Result<TrapTable> ok = with_owner("    owner: qemu\n");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->bugs.at("mpv").owner, Owner::Qemu);
  EXPECT_EQ(ok->cases.find("MisalignedAmoaddW")->second.known_bug->where, "t.yaml:10");

  Result<TrapTable> none = with_owner("");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().what.find("lacks the required key 'owner'"), std::string::npos) << none.error().what;
  Result<TrapTable> bad = with_owner("    owner: opensbi\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().what, "t.yaml:4: owner 'opensbi' is not one of kvm | platform | qemu");
}

TEST(LrscScenarios, NumbersArePositionsAndNamesAreUnique) {
  std::set<std::string_view> seen;
  const auto all = riscv::lrsc_scenarios();
  for (size_t i = 0; i < all.size(); i++) {
    EXPECT_EQ(all[i].number, i) << all[i].name;
    EXPECT_TRUE(seen.insert(all[i].name).second) << all[i].name << " is listed twice";
  }
  ASSERT_EQ(all.size(), 12u);
  EXPECT_EQ(all[0].name, "ScSucceedsW");
  EXPECT_EQ(all[11].name, "ConstrainedLoopD");
}

TEST(TrapScenarios, ForKernelPicksTheGreatestSinceNotAbove) {
  const std::vector<TrapObservation> list = {{*KernelVersion::parse("6.12"), "a"}, {*KernelVersion::parse("7.2"), "b"}};
  EXPECT_EQ(for_kernel(list, KernelVersion::parse("6.11.3")), nullptr);
  EXPECT_EQ(for_kernel(list, KernelVersion::parse("6.12.107+deb13-riscv64"))->outcome, "a");
  EXPECT_EQ(for_kernel(list, KernelVersion::parse("7.2.13"))->outcome, "b");
  EXPECT_EQ(for_kernel(list, std::nullopt), nullptr);
}

}  // namespace
}  // namespace kvmct
