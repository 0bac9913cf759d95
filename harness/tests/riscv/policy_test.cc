// SPDX-License-Identifier: MIT
// The policy loader: ranges, validation against the catalogue, and range selection. Each
// negative case is a valid file with exactly one defect.
#include <gtest/gtest.h>

#include "fails_with.h"
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
    "    enable_requires_host: {cite: aia, rules: {SMSTATEEN: SSAIA}}\n"
    "    config_isa: {cite: config, forced_on: [a], forced_off: [h]}\n"
    "  - kernels: {from: \"7.0\"}\n"
    "    source: new\n";

Result<Policy> parse(const std::string& text) {
  static const Catalogue cat = small_catalogue();
  return Policy::parse(text, "policy.yaml", cat);
}

// One open range (lines 2-3) and `rules`, its rule lines from line 4 on.
Result<Policy> one_range(const std::string& rules) {
  return parse("policies:\n  - kernels: {from: \"6.12\"}\n    source: a\n" + rules);
}

TEST(Policy, SelectsRangeAndFallsBackToNewest) {
  Result<Policy> p = parse(kTwoRanges);
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->ranges().size(), 2u);
  EXPECT_EQ(p->ranges()[1].line, 9);
  Result<PolicySelection> old = p->select({6, 12, 107});
  ASSERT_TRUE(old);
  EXPECT_EQ(old->range->source, "old");
  EXPECT_FALSE(old->newer_than_all);
  const PolicyRange& r = *old->range;
  EXPECT_EQ(r.never_disable.extensions, (std::set<std::string>{"A"}));
  EXPECT_EQ(r.never_disable.cite, "disable_allowed");
  EXPECT_EQ(r.disable_requires_host.rules, (std::map<std::string, std::string>{{"SSAIA", "SMSTATEEN"}}));
  EXPECT_EQ(r.disable_requires_host.cite, "smstateen");
  EXPECT_EQ(r.never_enable.extensions, (std::set<std::string>{"H"}));
  EXPECT_EQ(r.never_enable.cite, "enable_allowed");
  EXPECT_EQ(r.enable_requires_host.rules, (std::map<std::string, std::string>{{"SMSTATEEN", "SSAIA"}}));
  EXPECT_EQ(r.enable_requires_host.cite, "aia");
  EXPECT_EQ(r.config_isa.forced_on, (std::set<char>{'a'}));
  EXPECT_EQ(r.config_isa.forced_off, (std::set<char>{'h'}));
  EXPECT_EQ(r.config_isa.cite, "config");
  Result<PolicySelection> first = p->select({6, 12, 0});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->range->source, "old");
  for (KernelVersion k : {KernelVersion{7, 0, 0}, KernelVersion{9, 1, 0}}) {
    Result<PolicySelection> newest = p->select(k);
    ASSERT_TRUE(newest) << k.to_string();
    EXPECT_EQ(newest->range->source, "new");
    EXPECT_FALSE(newest->newer_than_all) << "the newest range is open";
  }
}

TEST(Policy, RangesAreSortedByFirstKernel) {
  Result<Policy> p = parse(
      "policies:\n"
      "  - kernels: {from: \"7.0\"}\n    source: new\n"
      "  - kernels: {from: \"6.12\", before: \"7.0\"}\n    source: old\n");
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->ranges().front().source, "old");
  EXPECT_EQ(p->select({6, 15, 0})->range->source, "old");
}

TEST(Policy, GapsAndOlderKernelsAreErrors) {
  Result<Policy> p = parse(kTwoRanges);
  ASSERT_TRUE(p);
  EXPECT_TRUE(FailsWith(p->select({6, 6, 0}),
                        "policy.yaml: no policy range covers kernel 6.6.0 (ranges start at 6.12.0); "
                        "add one from that kernel's arch/riscv/kvm source"));
  for (KernelVersion k : {KernelVersion{6, 13, 0}, KernelVersion{6, 15, 0}}) {
    Result<PolicySelection> gap = p->select(k);
    ASSERT_FALSE(gap) << k.to_string();
    EXPECT_NE(gap.error().what.find("no policy range covers kernel " + k.to_string()), std::string::npos)
        << gap.error().what;
  }
}

TEST(Policy, NewerThanBoundedNewestRangeIsFlagged) {
  Result<Policy> p = parse("policies:\n  - kernels: {from: \"6.12\", before: \"6.13\"}\n    source: only\n");
  ASSERT_TRUE(p);
  for (KernelVersion k : {KernelVersion{6, 13, 0}, KernelVersion{7, 2, 0}}) {
    Result<PolicySelection> s = p->select(k);
    ASSERT_TRUE(s) << k.to_string();
    EXPECT_TRUE(s->newer_than_all) << k.to_string();
  }
  EXPECT_FALSE(p->select({6, 12, 5})->newer_than_all);
}

TEST(Policy, RootMustHoldANonEmptyListOfRanges) {
  EXPECT_TRUE(FailsWith(parse("polices: []\n"), "policy.yaml:1: unknown key 'polices' in the policy file"));
  EXPECT_TRUE(FailsWith(parse("{}\n"), "policy.yaml:1: the policy file lacks the required key 'policies'"));
  EXPECT_TRUE(FailsWith(parse("policies: []\n"), "policy.yaml:1: 'policies' must be a non-empty list"));
  EXPECT_TRUE(FailsWith(parse("policies: all\n"), "policy.yaml:1: 'policies' must be a non-empty list"));
  EXPECT_TRUE(FailsWith(parse("policies: {kernels: {from: \"6.12\"}, source: a}\n"),
                        "policy.yaml:1: 'policies' must be a non-empty list"));
}

TEST(Policy, RangeKeysAndKernels) {
  EXPECT_TRUE(FailsWith(one_range("    nevr: 1\n"), "policy.yaml:4: unknown key 'nevr' in a policy range"));
  EXPECT_TRUE(FailsWith(parse("policies:\n  - source: a\n"), "policy.yaml:2: a policy range lacks the required key 'kernels'"));
  EXPECT_TRUE(FailsWith(parse("policies:\n  - kernels: {from: \"6.12\", to: \"6.13\"}\n    source: a\n"),
                        "policy.yaml:2: unknown key 'to' in kernels"));
  EXPECT_TRUE(FailsWith(parse("policies:\n  - kernels: {from: \"6.12\"}\n"),
                        "policy.yaml:2: a policy range lacks the required key 'source'"));
}

TEST(Policy, EmptyRangeIsAnError) {
  EXPECT_TRUE(FailsWith(parse("policies:\n  - kernels: {from: \"6.13\", before: \"6.12\"}\n    source: a\n"),
                        "policy.yaml:2: empty kernel range >= 6.13.0, < 6.12.0"));
  EXPECT_TRUE(FailsWith(parse("policies:\n  - kernels: {from: \"6.13\", before: \"6.13\"}\n    source: a\n"),
                        "policy.yaml:2: empty kernel range >= 6.13.0, < 6.13.0"));
}

TEST(Policy, OverlappingRangesNameBothLines) {
  EXPECT_TRUE(FailsWith(parse("policies:\n"
                              "  - kernels: {from: \"6.12\", before: \"6.16\"}\n    source: a\n"
                              "  - kernels: {from: \"6.15\"}\n    source: b\n"),
                        "policy.yaml:4: kernel range >= 6.15.0 overlaps the range >= 6.12.0, < 6.16.0 at line 2"));
  EXPECT_TRUE(FailsWith(parse("policies:\n"
                              "  - kernels: {from: \"6.12\"}\n    source: a\n"
                              "  - kernels: {from: \"7.0\"}\n    source: b\n"),
                        "policy.yaml:4: kernel range >= 7.0.0 overlaps the range >= 6.12.0 at line 2"))
      << "an open range overlaps every later one";
}

TEST(Policy, CitedSetNamesCatalogueExtensionsOnce) {
  EXPECT_TRUE(FailsWith(one_range("    never_disable: {cite: x, extensions: [ZZZ]}\n"),
                        "policy.yaml:4: never_disable names 'ZZZ', which is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(one_range("    never_enable: {cite: x, extensions: [H, H]}\n"),
                        "policy.yaml:4: never_enable lists H twice"));
  EXPECT_TRUE(FailsWith(one_range("    never_disable: {cite: x, extensions: [A], typo: 1}\n"),
                        "policy.yaml:4: unknown key 'typo' in never_disable"));
  EXPECT_TRUE(FailsWith(one_range("    never_disable: {cite: x, extensions: A}\n"),
                        "policy.yaml:4: never_disable extensions must be a list"));
  EXPECT_TRUE(FailsWith(one_range("    never_disable: {extensions: [A]}\n"),
                        "policy.yaml:4: never_disable lacks the required key 'cite'"));
}

TEST(Policy, HostRulesNameCatalogueExtensions) {
  EXPECT_TRUE(FailsWith(one_range("    disable_requires_host: {cite: x, rules: [SSAIA]}\n"),
                        "policy.yaml:4: disable_requires_host rules must be a mapping EXT: HOST_EXT"));
  EXPECT_TRUE(FailsWith(one_range("    enable_requires_host: {cite: x, rules: {ZZZ: SSAIA}}\n"),
                        "policy.yaml:4: enable_requires_host names 'ZZZ', which is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(one_range("    disable_requires_host: {cite: x, rules: {SSAIA: ZZZ}}\n"),
                        "policy.yaml:4: disable_requires_host names 'ZZZ', which is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(one_range("    enable_requires_host: {cite: x, rules: {H: A}, rule: {}}\n"),
                        "policy.yaml:4: unknown key 'rule' in enable_requires_host"));
  EXPECT_TRUE(FailsWith(one_range("    disable_requires_host: {cite: x}\n"),
                        "policy.yaml:4: disable_requires_host lacks the required key 'rules'"));
}

TEST(Policy, ConfigIsaLettersAreSingleLowerCase) {
  for (const char* bad : {"ab", "A", "\"~\""}) {
    EXPECT_TRUE(FailsWith(one_range(std::string("    config_isa: {cite: c, forced_on: [a, ") + bad + "]}\n"),
                          "policy.yaml:4: forced_on entries must be single letters a..z"))
        << bad;
  }
  EXPECT_TRUE(FailsWith(one_range("    config_isa: {cite: c, forced_off: [hh]}\n"),
                        "policy.yaml:4: forced_off entries must be single letters a..z"));
  EXPECT_TRUE(FailsWith(one_range("    config_isa: {cite: c, forced: [a]}\n"),
                        "policy.yaml:4: unknown key 'forced' in config_isa"));
  EXPECT_TRUE(FailsWith(one_range("    config_isa: {forced_on: [a]}\n"),
                        "policy.yaml:4: config_isa lacks the required key 'cite'"));
}

TEST(Policy, AnExtensionIsNeverRefusedAndConditionalAtOnce) {
  EXPECT_TRUE(FailsWith(one_range("    never_disable: {cite: x, extensions: [SSAIA]}\n"
                                  "    disable_requires_host: {cite: y, rules: {SSAIA: SMSTATEEN}}\n"),
                        "policy.yaml:2: SSAIA is both never_disable and disable_requires_host in range >= 6.12.0"));
  EXPECT_TRUE(FailsWith(one_range("    never_enable: {cite: x, extensions: [H]}\n"
                                  "    enable_requires_host: {cite: y, rules: {H: A}}\n"),
                        "policy.yaml:2: H is both never_enable and enable_requires_host in range >= 6.12.0"));
  EXPECT_TRUE(one_range("    never_enable: {cite: x, extensions: [H]}\n"
                        "    disable_requires_host: {cite: y, rules: {H: A}}\n"))
      << "refusing enable and conditioning disable do not conflict";
}

}  // namespace
}  // namespace kvmct
