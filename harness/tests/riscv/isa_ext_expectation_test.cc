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
      "policies:\n"
      "  - kernels: {from: \"6.12\"}\n"
      "    source: src\n"
      "    never_disable: {cite: nd, extensions: [A, ZAAMO]}\n"
      "    disable_requires_host: {cite: dr, rules: {SSAIA: SMSTATEEN}}\n"
      "    never_enable: {cite: ne, extensions: [H]}\n"
      "    enable_requires_host: {cite: er, rules: {D: A}}\n",
      "policy.yaml", cat);
  const PolicyRange& range = policy.ranges().front();
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
  EXPECT_EQ(of("SSAIA", {"ssaia"}, {7, 2, 0}).disable_why, "refused: host lacks SMSTATEEN (dr)");
  EXPECT_EQ(of("SSAIA", {"ssaia", "smstateen"}, {7, 2, 0}).disable_why, "allowed: host has SMSTATEEN (dr)");
  EXPECT_EQ(zaamo.disable_why, "never disabled (nd)");
  EXPECT_EQ(zaamo.enable_why, "allowed (no rule in src)");
  EXPECT_EQ(h.enable_why, "never enabled (ne)");
}

TEST_F(IsaExtExpectationTest, EnableRulesUseTheEnableTables) {
  IsaExtExpectation d = of("D", {"d"}, {7, 2, 0});
  EXPECT_FALSE(d.enable_allowed) << "enable_requires_host: D needs A";
  EXPECT_FALSE(d.default_on);
  EXPECT_EQ(d.enable_why, "refused: host lacks A (er)");
  EXPECT_TRUE(d.disable_allowed) << "the enable rule does not decide disable";
  IsaExtExpectation da = of("D", {"d", "a"}, {7, 2, 0});
  EXPECT_TRUE(da.enable_allowed);
  EXPECT_TRUE(da.default_on);
  EXPECT_TRUE(of("H", {"h"}, {7, 2, 0}).disable_allowed) << "never_enable does not refuse disable";
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
