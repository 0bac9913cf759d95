// SPDX-License-Identifier: MIT
// The overrides.yaml loader: release matching, backports and deviations, and a valid file
// with exactly one defect rejected with file:line.
#include <gtest/gtest.h>

#include <optional>

#include "fails_with.h"
#include "riscv/expect/overrides.h"

namespace kvmct {
namespace {

Catalogue small_catalogue() {
  return *Catalogue::parse(
      "extensions:\n"
      "  - {name: A, id: 0, since: \"5.19\", host: [a]}\n"
      "  - {name: H, id: 1, since: \"5.19\", host: [h]}\n"
      "  - {name: SSAIA, id: 2, since: \"6.4\", host: [ssaia]}\n",
      "cat.yaml");
}

// One deviation, a block-list item of `deviations:`. Every deviation fixture is built here, so
// a key every deviation must carry is one more line below. `extra` goes first, on the item's line.
struct Dev {
  std::optional<std::string> extension = "H";
  std::optional<std::string> check = "default";
  std::optional<std::string> owner = "kvm";
  std::optional<std::string> reason = "\"vendor enables H\"";
  std::string extra;  // "key: value"
};

std::string deviation(const Dev& d) {
  std::string lines;
  if (!d.extra.empty()) lines += "        " + d.extra + "\n";
  if (d.extension) lines += "        extension: " + *d.extension + "\n";
  if (d.check) lines += "        check: " + *d.check + "\n";
  if (d.owner) lines += "        owner: " + *d.owner + "\n";
  if (d.reason) lines += "        reason: " + *d.reason + "\n";
  lines.replace(0, 8, "      - ");
  return lines;
}

// The reason of the deviation found, or "" when none matches.
std::string reason_of(const Deviation* d) { return d ? d->known.reason : ""; }

Result<Overrides> parse(const std::string& text) {
  static const Catalogue cat = small_catalogue();
  return Overrides::parse(text, "overrides.yaml", cat);
}

// A valid file: kernel (line 2), backports (line 3), deviations (the first item on line 5).
Result<Overrides> one_override(const Dev& dev = {}, const std::string& kernel = "\"6.6.*-vendor\"",
                               const std::string& backports = "[SSAIA]") {
  return parse("overrides:\n  - kernel: " + kernel + "\n    backports: " + backports + "\n    deviations:\n" + deviation(dev));
}

TEST(Overrides, MatchesReleasePatterns) {
  Result<Overrides> o = one_override();
  ASSERT_TRUE(o) << o.error().to_string();
  EXPECT_TRUE(o->is_backport("6.6.50-vendor", "SSAIA"));
  EXPECT_FALSE(o->is_backport("6.6.50-vendor", "H"));
  EXPECT_FALSE(o->is_backport("6.6.50-other", "SSAIA"));
  EXPECT_EQ(reason_of(o->deviation("6.6.1-vendor", "H", "default")), "vendor enables H");
  EXPECT_EQ(reason_of(o->deviation("6.6.1-vendor", "H", "disable")), "");
  EXPECT_EQ(reason_of(o->deviation("6.6.1-vendor", "A", "default")), "");
  EXPECT_EQ(reason_of(o->deviation("6.7.1-vendor", "H", "default")), "");
  ASSERT_EQ(o->matching("6.6.1-vendor").size(), 1u);
  EXPECT_EQ(o->matching("6.6.1-vendor").front()->line, 2);
  EXPECT_TRUE(o->matching("6.6.1").empty());
}

TEST(Overrides, AnyPatternOfAListMatches) {
  Result<Overrides> list = one_override({.check = "executes_disabled", .reason = "r"}, "[\"6.12.*\", \"7.2.*\"]");
  ASSERT_TRUE(list) << list.error().to_string();
  EXPECT_EQ(reason_of(list->deviation("7.2.13+deb14-riscv64", "H", "executes_disabled")), "r");
  EXPECT_EQ(reason_of(list->deviation("6.12.107+deb13-riscv64", "H", "executes_disabled")), "r");
  EXPECT_EQ(reason_of(list->deviation("7.3.0", "H", "executes_disabled")), "");
}

TEST(Overrides, FirstMatchingOverrideWins) {
  Result<Overrides> o = parse("overrides:\n  - kernel: \"7.*\"\n    deviations:\n" + deviation({.reason = "first"}) +
                              "  - kernel: \"*\"\n    backports: [A]\n    deviations:\n" + deviation({.reason = "second"}));
  ASSERT_TRUE(o) << o.error().to_string();
  EXPECT_EQ(reason_of(o->deviation("7.2.13", "H", "default")), "first");
  EXPECT_EQ(reason_of(o->deviation("6.12.1", "H", "default")), "second");
  EXPECT_EQ(o->matching("7.2.13").size(), 2u);
  EXPECT_TRUE(o->is_backport("7.2.13", "A")) << "a backport of any matching override counts";
}

TEST(Overrides, EveryDeviationCheckIsAccepted) {
  for (std::string_view check : kDeviationChecks) {
    Result<Overrides> o = one_override({.check = std::string(check)});
    ASSERT_TRUE(o) << check << ": " << o.error().to_string();
    EXPECT_EQ(reason_of(o->deviation("6.6.1-vendor", "H", check)), "vendor enables H");
  }
}

TEST(Overrides, RootMustHoldAList) {
  EXPECT_TRUE(FailsWith(parse("override: []\n"), "overrides.yaml:1: unknown key 'override' in the overrides file"));
  EXPECT_TRUE(FailsWith(parse("{}\n"), "overrides.yaml:1: the overrides file lacks the required key 'overrides'"));
  EXPECT_TRUE(FailsWith(parse("overrides: none\n"), "overrides.yaml:1: 'overrides' must be a list"));
  EXPECT_TRUE(parse("overrides: []\n"));
}

TEST(Overrides, KernelPatternIsRequired) {
  EXPECT_TRUE(FailsWith(parse("overrides:\n  - backports: [SSAIA]\n"),
                        "overrides.yaml:2: an override lacks the required key 'kernel'"));
  EXPECT_TRUE(FailsWith(one_override({}, "[]"), "overrides.yaml:2: an override needs at least one kernel pattern"));
  EXPECT_TRUE(FailsWith(one_override({}, "{a: 1}"), "overrides.yaml:2: kernel must be a string"));
  EXPECT_TRUE(FailsWith(parse("overrides:\n  - kernel: \"6.6.*\"\n    backport: [SSAIA]\n"),
                        "overrides.yaml:3: unknown key 'backport' in an override"));
}

TEST(Overrides, BackportMustBeInTheCatalogue) {
  EXPECT_TRUE(FailsWith(one_override({}, "\"6.6.*\"", "[SSAIA, NOPE]"), "overrides.yaml:3: backport 'NOPE' is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(one_override({}, "\"6.6.*\"", "SSAIA"), "overrides.yaml:3: backports must be a list"));
}

// A scalar or a map would otherwise load as no deviations at all, hiding every one of them.
TEST(Overrides, DeviationsMustBeAList) {
  EXPECT_TRUE(FailsWith(parse("overrides:\n  - kernel: \"6.6.*\"\n    deviations: V\n"),
                        "overrides.yaml:3: deviations must be a list"));
  EXPECT_TRUE(FailsWith(parse("overrides:\n  - kernel: \"6.6.*\"\n    deviations: {extension: H}\n"),
                        "overrides.yaml:3: deviations must be a list"));
}

TEST(Overrides, DeviationNamesACatalogueExtension) {
  EXPECT_TRUE(FailsWith(one_override({.extension = "NOPE"}), "overrides.yaml:5: deviation names 'NOPE', not in cat.yaml"));
}

TEST(Overrides, DeviationCheckIsAKnownOne) {
  EXPECT_TRUE(FailsWith(one_override({.check = "speed"}),
                        "overrides.yaml:5: check 'speed' is not one of presence, default, disable, enable, "
                        "after_run, executes_default, executes_disabled"));
}

TEST(Overrides, DeviationNeedsAReason) {
  EXPECT_TRUE(FailsWith(one_override({.reason = "\"\""}), "overrides.yaml:5: a deviation needs a reason"));
  EXPECT_TRUE(FailsWith(one_override({.reason = std::nullopt}), "overrides.yaml:5: a deviation lacks the required key 'reason'"));
}

TEST(Overrides, DeviationKeys) {
  EXPECT_TRUE(FailsWith(one_override({.extra = "reasn: x"}), "overrides.yaml:5: unknown key 'reasn' in a deviation"));
  EXPECT_TRUE(FailsWith(one_override({.extension = std::nullopt}),
                        "overrides.yaml:5: a deviation lacks the required key 'extension'"));
  EXPECT_TRUE(FailsWith(one_override({.check = std::nullopt}), "overrides.yaml:5: a deviation lacks the required key 'check'"));
}

}  // namespace
}  // namespace kvmct
