// SPDX-License-Identifier: MIT
// The judge: pass, fail and known, and the JSON record every reader depends on.
#include <gtest/gtest.h>

#include "expect/check_record.h"

namespace kvmct {
namespace {

CheckInput disable_zaamo(std::string observed) {
  return {"disable", "IsaExtDisable.Zaamo", std::move(observed), {"EINVAL"}, "never disabled (isa.c:169)"};
}

const KnownCause kCause{Owner::Kvm, "KVM bug", "expected/riscv/overrides.yaml:14"};

TEST(CheckRecord, ObservedAsExpectedPasses) {
  CheckRecord r = judge_check(disable_zaamo("EINVAL"), std::nullopt);
  EXPECT_EQ(r.state, CheckState::Pass);
  EXPECT_FALSE(r.known);
}

TEST(CheckRecord, APassStaysAPassWithACause) {
  // A fixed bug must show as fixed, not as still known.
  CheckRecord r = judge_check(disable_zaamo("EINVAL"), kCause);
  EXPECT_EQ(r.state, CheckState::Pass);
  EXPECT_FALSE(r.known);
}

TEST(CheckRecord, DifferenceWithoutCauseFails) {
  CheckRecord r = judge_check(disable_zaamo("ok"), std::nullopt);
  EXPECT_EQ(r.state, CheckState::Fail);
  EXPECT_FALSE(r.known);
}

TEST(CheckRecord, DifferenceWithCauseIsKnown) {
  CheckRecord r = judge_check(disable_zaamo("ok"), kCause);
  EXPECT_EQ(r.state, CheckState::Known);
  ASSERT_TRUE(r.known);
  EXPECT_EQ(r.known->owner, Owner::Kvm);
  EXPECT_EQ(r.known->reason, "KVM bug");
  EXPECT_EQ(r.known->source, "expected/riscv/overrides.yaml:14");
}

TEST(CheckRecord, AnyAllowedAlternativePasses) {
  CheckInput in{"outcome", "AtomicTrap.Outcome/MisalignedLrW", "load-access-fault",
                {"load-misaligned", "load-access-fault"}, "atomic-traps.yaml:42"};
  CheckRecord r = judge_check(in, std::nullopt);
  EXPECT_EQ(r.state, CheckState::Pass);
  EXPECT_EQ(r.expected, "load-misaligned | load-access-fault");
  in.observed = "exception-1";
  EXPECT_EQ(judge_check(in, std::nullopt).state, CheckState::Fail);
}

TEST(CheckRecord, NothingAllowedNeverPasses) {
  CheckInput in{"outcome", "T.c", "", {}, "rule"};
  EXPECT_EQ(judge_check(in, std::nullopt).state, CheckState::Fail);
}

TEST(CheckRecord, JsonHasEveryContractKey) {
  EXPECT_EQ(judge_check(disable_zaamo("ok"), std::nullopt).to_json().dump(-1),
            R"j({"check":"disable","test":"IsaExtDisable.Zaamo","observed":"ok","expected":"EINVAL","state":"fail",)j"
            R"j("rule":"never disabled (isa.c:169)","known":null})j");
  EXPECT_EQ(judge_check(disable_zaamo("ok"), kCause).to_json().dump(-1),
            R"j({"check":"disable","test":"IsaExtDisable.Zaamo","observed":"ok","expected":"EINVAL","state":"known",)j"
            R"j("rule":"never disabled (isa.c:169)","known":{"owner":"kvm","reason":"KVM bug",)j"
            R"j("source":"expected/riscv/overrides.yaml:14"}})j");
  EXPECT_NE(judge_check(disable_zaamo("EINVAL"), std::nullopt).to_json().dump(-1).find(R"j("state":"pass")j"),
            std::string::npos);
}

TEST(CheckRecord, DescribeNamesSubjectCheckObservedExpectedAndRule) {
  EXPECT_EQ(judge_check(disable_zaamo("ok"), std::nullopt).describe("ZAAMO"),
            "ZAAMO disable: observed ok, expected EINVAL (rule: never disabled (isa.c:169))");
}

TEST(CheckRecord, StateAndOwnerNames) {
  EXPECT_STREQ(to_string(CheckState::Pass), "pass");
  EXPECT_STREQ(to_string(CheckState::Fail), "fail");
  EXPECT_STREQ(to_string(CheckState::Known), "known");
}

}  // namespace
}  // namespace kvmct
