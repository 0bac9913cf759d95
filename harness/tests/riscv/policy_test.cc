// SPDX-License-Identifier: MIT
// The policy loader: ranges, validation against the catalogue, and range selection.
#include <gtest/gtest.h>

#include "riscv/expect/overrides.h"
#include "riscv/expect/policy.h"

namespace kvmct {
namespace {

Catalogue small_catalogue() {
  return *Catalogue::parse(
      "extensions:\n"
      "  - {name: A, id: 0, since: \"5.19\", host: [a], letter: a}\n"
      "  - {name: H, id: 1, since: \"5.19\", host: [h], letter: h}\n"
      "  - {name: SSAIA, id: 2, since: \"6.4\", host: [ssaia]}\n"
      "  - {name: SMSTATEEN, id: 3, since: \"6.7\", host: [smstateen]}\n",
      "cat.yaml");
}

const char* kTwoRanges =
    "policies:\n"
    "  - kernels: {from: \"6.12\", before: \"6.13\"}\n"
    "    source: old\n"
    "    never_disable: {cite: disable_allowed, extensions: [A]}\n"
    "    disable_requires_host: {cite: smstateen, rules: {SSAIA: SMSTATEEN}}\n"
    "    never_enable: {cite: enable_allowed, extensions: [H]}\n"
    "    config_isa: {cite: config, forced_on: [a], forced_off: [h]}\n"
    "  - kernels: {from: \"7.0\"}\n"
    "    source: new\n";

TEST(Policy, SelectsRangeAndFallsBackToNewest) {
  Catalogue cat = small_catalogue();
  Result<Policy> p = Policy::parse(kTwoRanges, "policy.yaml", cat);
  ASSERT_TRUE(p) << p.error().to_string();
  Result<PolicySelection> old = p->select({6, 12, 107});
  ASSERT_TRUE(old);
  EXPECT_EQ(old->range->source, "old");
  EXPECT_FALSE(old->newer_than_all);
  EXPECT_TRUE(old->range->never_disable.extensions.count("A"));
  EXPECT_EQ(old->range->disable_requires_host.rules.at("SSAIA"), "SMSTATEEN");
  EXPECT_TRUE(old->range->config_isa.forced_off.count('h'));
  Result<PolicySelection> newest = p->select({9, 1, 0});
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->range->source, "new");
}

TEST(Policy, GapsAndOlderKernelsAreErrors) {
  Catalogue cat = small_catalogue();
  Result<Policy> p = Policy::parse(kTwoRanges, "policy.yaml", cat);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->select({6, 6, 0}));
  Result<PolicySelection> gap = p->select({6, 15, 0});
  ASSERT_FALSE(gap);
  EXPECT_NE(gap.error().what.find("no policy range covers kernel 6.15.0"), std::string::npos) << gap.error().what;
}

TEST(Policy, NewerThanBoundedNewestRangeIsFlagged) {
  Catalogue cat = small_catalogue();
  Result<Policy> p = Policy::parse(
      "policies:\n  - kernels: {from: \"6.12\", before: \"6.13\"}\n    source: only\n", "policy.yaml", cat);
  ASSERT_TRUE(p);
  Result<PolicySelection> s = p->select({7, 2, 0});
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->newer_than_all);
}

TEST(Policy, OverlappingRangesNameBothLines) {
  Catalogue cat = small_catalogue();
  Result<Policy> p = Policy::parse(
      "policies:\n"
      "  - kernels: {from: \"6.12\", before: \"6.16\"}\n    source: a\n"
      "  - kernels: {from: \"6.15\"}\n    source: b\n",
      "policy.yaml", cat);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().what, "policy.yaml:4: kernel range >= 6.15.0 overlaps the range >= 6.12.0, < 6.16.0 at line 2");
}

TEST(Policy, UnknownExtensionAndKeyAreErrors) {
  Catalogue cat = small_catalogue();
  Result<Policy> unknown = Policy::parse(
      "policies:\n  - kernels: {from: \"6.12\"}\n    source: a\n    never_disable: {cite: x, extensions: [ZZZ]}\n",
      "policy.yaml", cat);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().what.find("policy.yaml:4: never_disable names 'ZZZ'"), std::string::npos) << unknown.error().what;
  Result<Policy> key = Policy::parse("policies:\n  - kernels: {from: \"6.12\"}\n    source: a\n    nevr: 1\n", "policy.yaml", cat);
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().what.find(":4: unknown key 'nevr'"), std::string::npos) << key.error().what;
}

TEST(Overrides, MatchesReleasePatterns) {
  Catalogue cat = small_catalogue();
  Result<Overrides> o = Overrides::parse(
      "overrides:\n"
      "  - kernel: \"6.6.*-vendor\"\n"
      "    backports: [SSAIA]\n"
      "    deviations: [{extension: H, check: default, owner: kvm, reason: \"vendor enables H\"}]\n",
      "overrides.yaml", cat);
  ASSERT_TRUE(o) << o.error().to_string();
  EXPECT_TRUE(o->is_backport("6.6.50-vendor", "SSAIA"));
  EXPECT_FALSE(o->is_backport("6.6.50-other", "SSAIA"));
  ASSERT_NE(o->deviation("6.6.1-vendor", "H", "default"), nullptr);
  EXPECT_EQ(o->deviation("6.6.1-vendor", "H", "default")->known.reason, "vendor enables H");
  EXPECT_EQ(o->deviation("6.6.1-vendor", "H", "disable"), nullptr);
  Result<Overrides> list = Overrides::parse(
      "overrides:\n  - kernel: [\"6.12.*\", \"7.2.*\"]\n    deviations: [{extension: H, check: executes_disabled, owner: kvm, reason: r}]\n",
      "overrides.yaml", cat);
  ASSERT_TRUE(list) << list.error().to_string();
  EXPECT_NE(list->deviation("7.2.13+deb14-riscv64", "H", "executes_disabled"), nullptr);
  EXPECT_NE(list->deviation("6.12.107+deb13-riscv64", "H", "executes_disabled"), nullptr);
  EXPECT_EQ(list->deviation("7.3.0", "H", "executes_disabled"), nullptr);
  Result<Overrides> bad = Overrides::parse(
      "overrides:\n  - kernel: x\n    deviations: [{extension: H, check: speed, owner: kvm, reason: r}]\n", "overrides.yaml", cat);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().what.find("check 'speed'"), std::string::npos) << bad.error().what;
}

}  // namespace
}  // namespace kvmct
