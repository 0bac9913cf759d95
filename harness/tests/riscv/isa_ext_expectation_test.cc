// SPDX-License-Identifier: MIT
// Deriving expected outcomes from version, host ISA and policy.
#include <gtest/gtest.h>

#include "riscv/expect/isa_ext_expectation.h"

namespace kvmct {
namespace {

class IsaExtExpectationTest : public testing::Test {
 protected:
  Catalogue cat = *Catalogue::parse(
      "extensions:\n"
      "  - {name: A, id: 0, since: \"5.19\", host: [a]}\n"
      "  - {name: H, id: 1, since: \"5.19\", host: [h]}\n"
      "  - {name: SSAIA, id: 2, since: \"6.4\", host: [ssaia]}\n"
      "  - {name: SMSTATEEN, id: 3, since: \"6.7\", host: [smstateen]}\n"
      "  - {name: ZAAMO, id: 4, since: \"6.15\", host: [zaamo, a]}\n"
      "  - {name: ZCD, id: 5, since: \"6.11\", host: [zcd, c+d]}\n"
      "  - {name: D, id: 6, since: \"5.19\", host: [d]}\n",
      "cat.yaml");
  Policy policy = *Policy::parse(
      "errno_regimes:\n"
      "  e: {unknown_id: ENOENT, host_lacks_get: ENOENT, host_lacks_set: ENOENT, refused: EINVAL,\n"
      "      changed_after_run: EBUSY, same_value_after_run: ok, commits: [aaaaaaaaaaaa]}\n"
      "releases:\n"
      "  - {release: \"6.12\", provenance: derived, commits: [bbbbbbbbbbbb], isa_ext_max: 7, errno: e,\n"
      "     config_isa: {range_check: isa, commits: [cccccccccccc]}}\n"
      "  - {release: \"6.15\", provenance: derived, commits: [dddddddddddd], isa_ext_max: 7}\n"
      "rules:\n"
      "  A: [{since: \"6.12\", disable: never, commits: [111111111111]}]\n"
      "  ZAAMO: [{since: \"6.15\", disable: never, commits: [222222222222]}]\n"
      "  SSAIA: [{since: \"6.12\", disable: {host: SMSTATEEN}, commits: [333333333333]}]\n"
      "  H: [{since: \"6.12\", enable: never, commits: [444444444444]}]\n"
      "  D: [{since: \"6.12\", enable: {host: A}, source: \"Debian linux-source-6.12 1, arch/riscv/kvm/x.c:1\"}]\n",
      "policy.yaml", cat);
  const ReleasePolicy range = policy.at(policy.releases().back());
  IsaExtExpectation of(const char* name, std::set<std::string> host, KernelVersion k) {
    return expect_isa_ext(*cat.by_name(name), cat, range, host, k);
  }
};

TEST_F(IsaExtExpectationTest, PresenceFollowsHostAndVersion) {
  EXPECT_EQ(of("ZAAMO", {"a"}, {7, 2, 0}).presence, Presence::Required) << "'a' implies zaamo";
  EXPECT_EQ(of("ZAAMO", {"a"}, {6, 12, 0}).presence, Presence::Optional) << "6.12 predates the id";
  EXPECT_EQ(of("ZAAMO", {"i"}, {7, 2, 0}).presence, Presence::Absent);
  EXPECT_EQ(of("ZCD", {"c"}, {7, 2, 0}).presence, Presence::Absent) << "c+d needs both";
  EXPECT_EQ(of("ZCD", {"c", "d"}, {7, 2, 0}).presence, Presence::Required);
}

TEST_F(IsaExtExpectationTest, DisableAndEnableRules) {
  IsaExtExpectation zaamo = of("ZAAMO", {"a"}, {7, 2, 0});
  EXPECT_FALSE(zaamo.disable_allowed);
  EXPECT_TRUE(zaamo.enable_allowed);
  EXPECT_TRUE(zaamo.default_on);
  IsaExtExpectation h = of("H", {"h"}, {7, 2, 0});
  EXPECT_FALSE(h.enable_allowed);
  EXPECT_FALSE(h.default_on) << "never-enable extensions start off";
  EXPECT_TRUE(of("D", {"d"}, {7, 2, 0}).disable_allowed);
  EXPECT_FALSE(of("SSAIA", {"ssaia"}, {7, 2, 0}).disable_allowed);
  EXPECT_TRUE(of("SSAIA", {"ssaia", "smstateen"}, {7, 2, 0}).disable_allowed);
  EXPECT_EQ(of("SSAIA", {"ssaia"}, {7, 2, 0}).disable_why,
            "disable requires host SMSTATEEN since 6.12 (derived: 333333333333): host lacks it");
  EXPECT_EQ(of("SSAIA", {"ssaia", "smstateen"}, {7, 2, 0}).disable_why,
            "disable requires host SMSTATEEN since 6.12 (derived: 333333333333): host has it");
  EXPECT_EQ(zaamo.disable_why, "never-disable since 6.15 (derived: 222222222222)");
  EXPECT_EQ(zaamo.disable_rule.kind, OpKind::Never);
  EXPECT_EQ(zaamo.enable_why, "enable allowed (no rule at 6.15)");
  EXPECT_EQ(zaamo.enable_rule.kind, OpKind::Allowed);
  EXPECT_EQ(h.enable_why, "never-enable since 6.12 (derived: 444444444444)");
  EXPECT_EQ(zaamo.disable_outcome, "EINVAL") << "the regime's refusal";
  EXPECT_EQ(zaamo.enable_outcome, "ok");
  EXPECT_EQ(zaamo.after_run_outcome, "EBUSY");
  EXPECT_EQ(zaamo.same_value_after_run_outcome, "ok");
}

TEST_F(IsaExtExpectationTest, EnableRulesUseTheEnableTables) {
  IsaExtExpectation d = of("D", {"d"}, {7, 2, 0});
  EXPECT_FALSE(d.enable_allowed) << "enable_requires_host: D needs A";
  EXPECT_FALSE(d.default_on);
  EXPECT_EQ(d.enable_why, "enable requires host A since 6.12 (verified: Debian linux-source-6.12 1, arch/riscv/kvm/x.c:1): host lacks it");
  EXPECT_TRUE(d.disable_allowed) << "the enable rule does not decide disable";
  IsaExtExpectation da = of("D", {"d", "a"}, {7, 2, 0});
  EXPECT_TRUE(da.enable_allowed);
  EXPECT_TRUE(da.default_on);
  EXPECT_TRUE(of("H", {"h"}, {7, 2, 0}).disable_allowed) << "never_enable does not refuse disable";
}

TEST_F(IsaExtExpectationTest, OutcomesFollowTheErrnoRegime) {
  // 5.19: refusals return 0 and change nothing; any write after the run is EOPNOTSUPP.
  Result<Policy> old = Policy::parse(
      "errno_regimes:\n"
      "  s: {unknown_id: EINVAL, host_lacks_get: ok, host_lacks_set: EOPNOTSUPP, refused: ignored,\n"
      "      changed_after_run: EOPNOTSUPP, same_value_after_run: EOPNOTSUPP, commits: [aaaaaaaaaaaa]}\n"
      "releases:\n"
      "  - {release: \"5.19\", provenance: derived, commits: [bbbbbbbbbbbb], isa_ext_max: 7, errno: s,\n"
      "     config_isa: {range_check: none, commits: [cccccccccccc]}}\n"
      "rules:\n"
      "  A: [{since: \"5.19\", disable: never, commits: [111111111111]}]\n",
      "policy.yaml", cat);
  ASSERT_TRUE(old) << old.error().to_string();
  IsaExtExpectation a = expect_isa_ext(*cat.by_name("A"), cat, old->at(old->releases().front()), {"a"}, {5, 19, 0});
  EXPECT_FALSE(a.disable_allowed);
  EXPECT_EQ(a.disable_outcome, "ok") << "refused silently";
  EXPECT_EQ(a.after_run_outcome, "EOPNOTSUPP");
  EXPECT_EQ(a.same_value_after_run_outcome, "EOPNOTSUPP");
}

TEST_F(IsaExtExpectationTest, AbsentExtensionIsNotOnByDefault) {
  IsaExtExpectation zaamo = of("ZAAMO", {"i"}, {7, 2, 0});
  EXPECT_FALSE(zaamo.host_has);
  EXPECT_TRUE(zaamo.enable_allowed);
  EXPECT_FALSE(zaamo.default_on);
  EXPECT_TRUE(of("ZAAMO", {"zaamo"}, {7, 2, 0}).host_has) << "any alternative will do";
  EXPECT_EQ(of("ZAAMO", {"a"}, {6, 15, 0}).presence, Presence::Required) << "the kernel of `since` knows the id";
}

}  // namespace
}  // namespace kvmct
