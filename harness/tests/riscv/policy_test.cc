// SPDX-License-Identifier: MIT
// The policy loader: releases, rule changes folded per release, release selection. Each
// negative case is the valid file below with exactly one defect.
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

// Line numbers matter: the negative cases name them.
const std::string kValid =
    "errno_regimes:\n"                                                                                     // 1
    "  new: {unknown_id: ENOENT, host_lacks_get: ENOENT, host_lacks_set: ENOENT, refused: EINVAL,\n"       // 2
    "        changed_after_run: EBUSY, same_value_after_run: ok, commits: [aaaaaaaaaaaa]}\n"               // 3
    "  old: {unknown_id: EINVAL, host_lacks_get: ok, host_lacks_set: EOPNOTSUPP, refused: ignored,\n"      // 4
    "        changed_after_run: EOPNOTSUPP, same_value_after_run: EOPNOTSUPP, commits: [aaaaaaaaaaaa]}\n"  // 5
    "releases:\n"                                                                                          // 6
    "  - {release: \"5.19\", provenance: derived, commits: [bbbbbbbbbbbb], isa_ext_max: 2, errno: old,\n"  // 7
    "     config_isa: {range_check: none, commits: [cccccccccccc]}}\n"                                     // 8
    "  - {release: \"6.4\", provenance: derived, commits: [dddddddddddd], isa_ext_max: 3}\n"               // 9
    "  - {release: \"6.7\", provenance: verified, source: \"Debian linux-source-6.7 1, arch/riscv/kvm/v.c\",\n"  // 10
    "     isa_ext_max: 4, multi_reg_last: 0, errno: new, config_isa: {range_check: isa, commits: [eeeeeeeeeeee]}}\n"  // 11
    "  - {release: \"6.8\", provenance: derived, commits: [ffffffffffff], isa_ext_max: 4, multi_reg_last: 0}\n"  // 12
    "rules:\n"                                                                                             // 13
    "  A: [{since: \"5.19\", disable: never, commits: [111111111111]}]\n"                                  // 14
    "  H: [{since: \"5.19\", enable: never, commits: [222222222222]}]\n"                                   // 15
    "  SSAIA:\n"                                                                                           // 16
    "    - {since: \"6.4\", disable: never, commits: [333333333333]}\n"                                    // 17
    "    - {since: \"6.7\", disable: {host: SMSTATEEN}, source: \"Debian linux-source-6.7 1, arch/riscv/kvm/v.c:5\"}\n"  // 18
    "  SMSTATEEN: [{since: \"6.7\", shares_bit: SSAIA, commits: [444444444444]}]\n";                       // 19

Result<Policy> parse(const std::string& text) {
  static const Catalogue cat = small_catalogue();
  return Policy::parse(text, "policy.yaml", cat);
}

// kValid with `from` (which must occur exactly once) replaced by `to`.
std::string with(const std::string& from, const std::string& to) {
  const size_t at = kValid.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(kValid.find(from, at + 1), std::string::npos) << from << " occurs twice";
  std::string s = kValid;
  return s.replace(at, from.size(), to);
}

Result<Policy> broken(const std::string& from, const std::string& to) { return parse(with(from, to)); }

TEST(Policy, FoldsChangesPerRelease) {
  Result<Policy> p = parse(kValid);
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->releases().size(), 4u);
  EXPECT_EQ(p->releases()[2].line, 10);
  const ReleasePolicy r519 = p->at(p->releases()[0]);
  EXPECT_EQ(r519.disable.size(), 1u) << "only A: SSAIA has no id yet";
  EXPECT_EQ(r519.disable.at("A").kind, OpKind::Never);
  EXPECT_EQ(r519.enable.at("H").kind, OpKind::Never);
  EXPECT_EQ(r519.errno_regime.name, "old");
  EXPECT_TRUE(r519.errno_regime.refusal_ignored);
  EXPECT_EQ(r519.config_isa.forced_on, (std::set<char>{'a'}));
  EXPECT_TRUE(r519.config_isa.forced_off.count('h')) << "never-enable letter";
  EXPECT_TRUE(r519.config_isa.forced_off.count('b')) << "a letter without an id";
  EXPECT_FALSE(r519.config_isa.forced_off.count('a'));
  EXPECT_FALSE(r519.config_isa.forced_off.count('z')) << "bit 25 is the range check's, not a letter";
  EXPECT_FALSE(r519.release.multi_reg_last.has_value());

  const ReleasePolicy r64 = p->at(p->releases()[1]);
  EXPECT_EQ(r64.disable.at("SSAIA").kind, OpKind::Never);
  EXPECT_EQ(r64.disable.at("SSAIA").describe("disable"), "never-disable since 6.4 (derived: 333333333333)");
  EXPECT_EQ(r64.errno_regime.name, "old") << "carried over";
  EXPECT_EQ(r64.config_isa.range_check, ConfigRangeCheck::None) << "carried over";
  EXPECT_EQ(r64.config_isa.cite, "cccccccccccc");
  EXPECT_TRUE(r64.shares_bit.empty());

  const ReleasePolicy r67 = p->at(p->releases()[2]);
  const OpRule& ssaia = r67.disable.at("SSAIA");
  EXPECT_EQ(ssaia.kind, OpKind::RequiresHost);
  EXPECT_EQ(ssaia.host, "SMSTATEEN");
  EXPECT_EQ(ssaia.citation.provenance(), Provenance::Verified);
  EXPECT_EQ(ssaia.describe("disable"),
            "disable requires host SMSTATEEN since 6.7 (verified: Debian linux-source-6.7 1, arch/riscv/kvm/v.c:5)");
  EXPECT_EQ(r67.errno_regime.name, "new");
  EXPECT_EQ(r67.errno_regime.unknown_id, ENOENT);
  EXPECT_EQ(r67.errno_regime.same_value_after_run, 0);
  EXPECT_EQ(r67.config_isa.range_check, ConfigRangeCheck::Isa);
  EXPECT_EQ(r67.shares_bit.at("SMSTATEEN"), "SSAIA");
  EXPECT_EQ(r67.release.multi_reg_last, std::optional<uint32_t>(0));
  EXPECT_EQ(r67.label(), "6.7 (verified: Debian linux-source-6.7 1, arch/riscv/kvm/v.c)");
  EXPECT_EQ(p->at(p->releases()[3]).label(), "6.8 (derived: ffffffffffff)");
}

TEST(Policy, FirstConfigIsaMayCiteASourceOnly) {
  Result<Policy> p = broken("config_isa: {range_check: none, commits: [cccccccccccc]}",
                            "config_isa: {range_check: none, source: \"Debian linux-source-5.19 1, arch/riscv/kvm/v.c\"}");
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->at(p->releases()[1]).config_isa.cite, "Debian linux-source-5.19 1, arch/riscv/kvm/v.c");
}

TEST(Policy, SelectsByMajorMinor) {
  Result<Policy> p = parse(kValid);
  ASSERT_TRUE(p) << p.error().to_string();
  Result<PolicySelection> s = p->select({6, 4, 3});
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->effective.release.name(), "6.4");
  EXPECT_FALSE(s->newer_than_tables);
  EXPECT_EQ(s->kernel, (KernelVersion{6, 4, 3}));
  EXPECT_EQ(p->select({5, 19, 0})->effective.release.name(), "5.19");
  for (KernelVersion k : {KernelVersion{6, 9, 0}, KernelVersion{7, 4, 1}}) {
    Result<PolicySelection> newer = p->select(k);
    ASSERT_TRUE(newer) << k.to_string();
    EXPECT_EQ(newer->effective.release.name(), "6.8");
    EXPECT_TRUE(newer->newer_than_tables);
  }
  EXPECT_FALSE(p->select({6, 8, 9})->newer_than_tables) << "6.8.9 is release 6.8";
}

TEST(Policy, KernelsBeforeTheTablesOrBetweenReleasesAreErrors) {
  Result<Policy> p = parse(kValid);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_TRUE(FailsWith(p->select({5, 18, 3}),
                        "policy.yaml: kernel 5.18.3 is older than the first release in the tables (5.19, the first "
                        "ISA_EXT ONE_REG release)"));
  EXPECT_TRUE(FailsWith(p->select({6, 5, 0}),
                        "policy.yaml: kernel 6.5.0 names no release of the tables (6.5 is not a mainline release)"));
}

TEST(Policy, RootKeysAndShapes) {
  EXPECT_TRUE(FailsWith(parse(kValid + "extra: 1\n"), "policy.yaml:20: unknown key 'extra' in the policy file"));
  EXPECT_TRUE(FailsWith(parse("errno_regimes: [1]\nreleases: []\n"),
                        "policy.yaml:1: 'errno_regimes' must be a mapping NAME: {...}"));
  const std::string regimes = kValid.substr(0, kValid.find("releases:"));
  EXPECT_TRUE(FailsWith(parse(regimes + "releases: []\n"), "policy.yaml:6: 'releases' must be a non-empty list"));
  EXPECT_TRUE(FailsWith(parse(regimes + "releases: {a: 1}\n"), "policy.yaml:6: 'releases' must be a non-empty list"));
  const std::string no_rules = kValid.substr(0, kValid.find("rules:"));
  EXPECT_TRUE(FailsWith(parse(no_rules + "rules: [1]\n"),
                        "policy.yaml:13: 'rules' must be a mapping EXTENSION: [changes]"));
  EXPECT_TRUE(FailsWith(parse(no_rules + "rules: {A: []}\n"), "policy.yaml:13: rules of A must be a non-empty list"));
  EXPECT_TRUE(FailsWith(parse(no_rules + "rules: {A: {x: 1}}\n"), "policy.yaml:13: rules of A must be a non-empty list"));
}

TEST(Policy, ErrnoRegimes) {
  EXPECT_TRUE(FailsWith(broken("refused: EINVAL,", "refused: EPERM,"),
                        "policy.yaml:2: refused 'EPERM' is not ok, EINVAL, ENOENT, EBUSY or EOPNOTSUPP"));
  EXPECT_TRUE(FailsWith(broken("unknown_id: ENOENT,", "unknown_id: ignored,"),
                        "policy.yaml:2: unknown_id 'ignored' is not ok, EINVAL, ENOENT, EBUSY or EOPNOTSUPP"))
      << "only a refusal can be ignored";
  EXPECT_TRUE(FailsWith(broken("same_value_after_run: ok,", "same_value_after_run: ok, typo: 1,"),
                        "policy.yaml:3: unknown key 'typo' in an errno regime"));
  EXPECT_TRUE(FailsWith(broken("same_value_after_run: ok, commits: [aaaaaaaaaaaa]", "same_value_after_run: ok"),
                        "policy.yaml:2: errno regime new has no citation: give commits: [12-hex ids] or source: a "
                        "Debian linux-source file"));
  EXPECT_TRUE(FailsWith(broken("errno: old", "errno: gone"), "policy.yaml:7: release 5.19: errno regime 'gone' is not defined"));
}

TEST(Policy, ReleasesGoOldestFirstOnceEach) {
  EXPECT_TRUE(FailsWith(broken("release: \"6.4\"", "release: \"6.9\""),
                        "policy.yaml:10: release 6.7 is not after release 6.9 (line 9): releases go oldest first, once each"));
  EXPECT_TRUE(FailsWith(broken("release: \"6.4\"", "release: \"5.19\""),
                        "policy.yaml:9: release 5.19 is not after release 5.19 (line 7): releases go oldest first, once each"));
  EXPECT_TRUE(FailsWith(broken("release: \"6.4\"", "release: \"6.4.1\""), "policy.yaml:9: release '6.4.1' must be major.minor"));
  EXPECT_TRUE(FailsWith(broken("isa_ext_max: 4, multi_reg_last: 0, errno", "isa_ext_max: 1, multi_reg_last: 0, errno"),
                        "policy.yaml:10: release 6.7 has fewer ids than 6.4: ids are append-only"));
  EXPECT_TRUE(FailsWith(broken("isa_ext_max: 3}", "isa_ext_max: 0}"), "policy.yaml:9: release 6.4: isa_ext_max 0 is out of range"));
  EXPECT_TRUE(FailsWith(broken("isa_ext_max: 3}", "isa_ext_max: 70000}"),
                        "policy.yaml:9: release 6.4: isa_ext_max 70000 is out of range"));
  EXPECT_TRUE(FailsWith(broken("isa_ext_max: 3}", "isa_ext_max: 3, size: 1}"), "policy.yaml:9: unknown key 'size' in a release"));
}

TEST(Policy, MultiRegLastFollowsTheIdCount) {
  EXPECT_TRUE(FailsWith(broken("isa_ext_max: 4, multi_reg_last: 0, errno", "isa_ext_max: 4, multi_reg_last: 1, errno"),
                        "policy.yaml:11: release 6.7: multi_reg_last 1 is not (isa_ext_max - 1) / 64 = 0"));
  EXPECT_TRUE(FailsWith(broken("isa_ext_max: 4, multi_reg_last: 0}", "isa_ext_max: 4}"),
                        "policy.yaml:12: release 6.8 drops multi_reg_last, which 6.7 has"));
}

TEST(Policy, FirstReleaseStatesErrnoAndConfigIsa) {
  EXPECT_TRUE(FailsWith(broken("isa_ext_max: 2, errno: old,", "isa_ext_max: 2,"),
                        "policy.yaml:7: the first release must name its errno regime"));
  EXPECT_TRUE(FailsWith(broken("isa_ext_max: 2, errno: old,\n     config_isa: {range_check: none, commits: [cccccccccccc]}}",
                               "isa_ext_max: 2, errno: old}"),
                        "policy.yaml:7: the first release must give its config_isa"));
  EXPECT_TRUE(FailsWith(broken("range_check: isa", "range_check: all"),
                        "policy.yaml:11: range_check 'all' is not none, every_config_reg or isa"));
  EXPECT_TRUE(FailsWith(broken("range_check: isa,", "range_check: isa, when: 1,"), "policy.yaml:11: unknown key 'when' in config_isa"));
  EXPECT_TRUE(FailsWith(broken("range_check: none, commits: [cccccccccccc]", "range_check: none"),
                        "policy.yaml:8: config_isa has no citation: give commits: [12-hex ids] or source: a Debian "
                        "linux-source file"));
}

TEST(Policy, EveryReleaseNamesItsProvenance) {
  EXPECT_TRUE(FailsWith(broken("provenance: derived, commits: [dddddddddddd], ", "provenance: derived, "),
                        "policy.yaml:9: release 6.4 has no citation: give commits: [12-hex ids] or source: a Debian "
                        "linux-source file"));
  EXPECT_TRUE(FailsWith(broken("provenance: derived, commits: [dddddddddddd]",
                               "provenance: derived, source: \"Debian linux-source-6.4 1, arch/riscv/kvm/v.c\""),
                        "policy.yaml:9: release 6.4 is derived but cites no commit"));
  EXPECT_TRUE(FailsWith(broken("provenance: verified, source: \"Debian linux-source-6.7 1, arch/riscv/kvm/v.c\"",
                               "provenance: verified, commits: [999999999999]"),
                        "policy.yaml:10: release 6.7 is verified but names no Debian source it was read in"));
  EXPECT_TRUE(FailsWith(broken("provenance: derived, commits: [dddddddddddd]", "provenance: guessed, commits: [dddddddddddd]"),
                        "policy.yaml:9: release 6.4: provenance 'guessed' is not verified or derived"));
  EXPECT_TRUE(FailsWith(broken("[dddddddddddd]", "[dddddd]"),
                        "policy.yaml:9: release 6.4: 'dddddd' is not a 12-hex-digit commit id"));
  EXPECT_TRUE(FailsWith(broken("\"Debian linux-source-6.7 1, arch/riscv/kvm/v.c\"", "\"my notes\""),
                        "policy.yaml:10: release 6.7: source 'my notes' does not name 'Debian linux-source-X.Y VERSION, "
                        "arch/riscv/FILE'"));
}

TEST(Policy, RulesNameCatalogueExtensionsAndReleases) {
  EXPECT_TRUE(FailsWith(broken("  A: [", "  ZQ: ["), "policy.yaml:14: rules names 'ZQ', which is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(broken("{host: SMSTATEEN}", "{host: SVADU}"),
                        "policy.yaml:18: rule of SSAIA disable names 'SVADU', which is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(broken("shares_bit: SSAIA", "shares_bit: SSNPM"),
                        "policy.yaml:19: rule of SMSTATEEN shares_bit names 'SSNPM', which is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(broken("{since: \"5.19\", disable: never", "{since: \"6.0\", disable: never"),
                        "policy.yaml:14: rule of A changes at 6.0.0, which is not a release in 'releases'"));
  EXPECT_TRUE(FailsWith(broken("{since: \"6.4\", disable: never", "{since: \"5.19\", disable: never"),
                        "policy.yaml:17: rule of SSAIA changes at 5.19.0, before the id exists (since 6.4.0)"));
}

TEST(Policy, RuleChangesAreOrderedCitedAndMeanSomething) {
  EXPECT_TRUE(FailsWith(broken("{since: \"6.7\", disable: {host", "{since: \"6.4\", disable: {host"),
                        "policy.yaml:18: rules of SSAIA must go oldest first, one change per release"));
  EXPECT_TRUE(FailsWith(broken("disable: never, commits: [111111111111]", "disable: never"),
                        "policy.yaml:14: rule of A has no citation: give commits: [12-hex ids] or source: a Debian "
                        "linux-source file"));
  EXPECT_TRUE(FailsWith(broken("disable: never, commits: [111111111111]", "commits: [111111111111]"),
                        "policy.yaml:14: rule of A at 5.19.0 changes nothing"));
  EXPECT_TRUE(FailsWith(broken("disable: never, commits: [111111111111]", "disable: sometimes, commits: [111111111111]"),
                        "policy.yaml:14: rule of A disable 'sometimes' is not never, allowed or {host: EXT}"));
  EXPECT_TRUE(FailsWith(broken("{host: SMSTATEEN}", "{host: SMSTATEEN, when: 1}"),
                        "policy.yaml:18: unknown key 'when' in rule of SSAIA disable"));
  EXPECT_TRUE(FailsWith(broken("enable: never, commits", "enable: never, why: x, commits"),
                        "policy.yaml:15: unknown key 'why' in rule of H"));
}

TEST(Policy, AllowedEndsARule) {
  Result<Policy> p = parse(with("  SMSTATEEN:", "    - {since: \"6.8\", disable: allowed, commits: [555555555555]}\n  SMSTATEEN:"));
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_TRUE(p->at(p->releases()[2]).disable.count("SSAIA"));
  EXPECT_FALSE(p->at(p->releases()[3]).disable.count("SSAIA")) << "6.8 allows it again";
}

}  // namespace
}  // namespace kvmct
