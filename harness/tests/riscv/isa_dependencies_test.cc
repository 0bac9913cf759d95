// SPDX-License-Identifier: MIT
// The isa-dependencies.yaml loader: the real table against the catalogue, rule evaluation, and
// a valid file with exactly one defect (unknown name, missing prerequisite list, cycle, ...)
// rejected with file:line.
#include <gtest/gtest.h>

#include "fails_with.h"
#include "read_text.h"
#include "riscv/expect/expectations.h"
#include "riscv/expect/isa_dependencies.h"

#include <algorithm>
#include <iostream>

namespace kvmct {
namespace {

Catalogue small_catalogue() {
  return *Catalogue::parse(
      "extensions:\n"
      "  - {name: A, id: 0, since: \"5.19\", host: [a]}\n"
      "  - {name: C, id: 1, since: \"5.19\", host: [c]}\n"
      "  - {name: D, id: 2, since: \"5.19\", host: [d]}\n"
      "  - {name: ZAAMO, id: 3, since: \"6.15\", host: [zaamo]}\n"
      "  - {name: ZACAS, id: 4, since: \"6.8\", host: [zacas]}\n"
      "  - {name: ZCA, id: 5, since: \"6.10\", host: [zca]}\n"
      "  - {name: ZCD, id: 6, since: \"6.10\", host: [zcd]}\n",
      "cat.yaml");
}

Result<Dependencies> parse(const std::string& rules) {
  static const Catalogue cat = small_catalogue();
  return Dependencies::parse("rules:\n" + rules, "deps.yaml", cat);
}

// One rule on line 2: `body` is its keys after `extension`, one per line.
std::string rule(const std::string& ext, const std::string& body) { return "  - extension: " + ext + "\n" + body; }
const std::string kCites = "    manual: \"m\"\n    kernel: {\"7.2.13-1\": \"none: c\"}\n";

TEST(IsaDependencies, RealTableLoadsAgainstTheCatalogue) {
  const std::string dir = KVMCT_EXPECTED_ROOT "/riscv";
  Result<Catalogue> cat = Catalogue::parse(read_text(dir + "/isa-extensions.yaml"), dir + "/isa-extensions.yaml");
  ASSERT_TRUE(cat) << cat.error().to_string();
  Result<Dependencies> d =
      Dependencies::parse(read_text(dir + "/isa-dependencies.yaml"), dir + "/isa-dependencies.yaml", *cat);
  ASSERT_TRUE(d) << d.error().to_string();
  // The rules issue 15 names: Zacas and Zabha on Zaamo, A = Zaamo + Zalrsc, Zvbb on V.
  std::map<std::string, bool> set{{"ZACAS", true}, {"ZABHA", true}, {"ZAAMO", false}, {"A", true},
                                  {"ZALRSC", false}, {"ZVBB", true},  {"V", false},     {"ZVKB", true}};
  std::vector<std::string> names;
  for (const DependencyViolation& v : d->violations(set)) names.push_back(v.rule_name());
  EXPECT_EQ(names, (std::vector<std::string>{"A implies ZAAMO", "A implies ZALRSC", "ZACAS requires ZAAMO",
                                             "ZABHA requires ZAAMO", "ZVBB requires V",
                                             "ZVKB requires V"}));
  for (const DependencyRule& r : d->rules()) {
    EXPECT_TRUE(r.kernel.count("6.12.117-1") && r.kernel.count("7.2.13-1")) << r.source << " cites both kernels";
  }
}

TEST(IsaDependencies, ViolationsNeedTheRuleOnAndThePrerequisiteOff) {
  Result<Dependencies> d = parse(rule("ZACAS", "    requires: [ZAAMO]\n" + kCites) +
                                 rule("C", "    when: [D]\n    implies: [ZCD]\n" + kCites));
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->violations({{"ZACAS", true}, {"ZAAMO", true}}).size(), 0u);
  EXPECT_EQ(d->violations({{"ZACAS", false}, {"ZAAMO", false}}).size(), 0u);
  EXPECT_EQ(d->violations({{"ZACAS", true}}).size(), 0u) << "no ZAAMO register: nothing to judge";
  const auto v = d->violations({{"ZACAS", true}, {"ZAAMO", false}});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule_name(), "ZACAS requires ZAAMO");
  EXPECT_EQ(v[0].rule->source, "deps.yaml:2");
  EXPECT_EQ(d->violations({{"C", true}, {"D", false}, {"ZCD", false}}).size(), 0u) << "when D is off";
  const auto c = d->violations({{"C", true}, {"D", true}, {"ZCD", false}});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].rule_name(), "C with D implies ZCD");
}

TEST(IsaDependencies, KeepsCitations) {
  Result<Dependencies> d = parse(rule("ZACAS", "    requires: [ZAAMO]\n" + kCites + "    differs: \"x\"\n"));
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->rules()[0].manual, "m");
  EXPECT_EQ(d->rules()[0].kernel.at("7.2.13-1"), "none: c");
  EXPECT_EQ(d->rules()[0].differs, "x");
}

TEST(IsaDependencies, RejectsADefect) {
  EXPECT_TRUE(FailsWith(Dependencies::parse("rules: []\nx: 1\n", "deps.yaml", small_catalogue()),
                        "deps.yaml:2: unknown key 'x' in the dependency file"));
  EXPECT_TRUE(FailsWith(Dependencies::parse("{}\n", "deps.yaml", small_catalogue()),
                        "deps.yaml:1: the dependency file lacks the required key 'rules'"));
  EXPECT_TRUE(FailsWith(Dependencies::parse("rules: {}\n", "deps.yaml", small_catalogue()),
                        "deps.yaml:1: 'rules' must be a list"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO]\n    typo: 1\n" + kCites)),
                        "deps.yaml:4: unknown key 'typo' in a rule"));
  EXPECT_TRUE(FailsWith(parse("  - {requires: [ZAAMO]}\n"), "deps.yaml:2: a rule lacks the required key 'extension'"));
  EXPECT_TRUE(FailsWith(parse(rule("ZABHA", "    requires: [ZAAMO]\n" + kCites)),
                        "deps.yaml:2: rule for 'ZABHA', not in cat.yaml"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMOO]\n" + kCites)),
                        "deps.yaml:3: requires names 'ZAAMOO', not in cat.yaml"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: ZAAMO\n" + kCites)),
                        "deps.yaml:3: requires must be a list of extension names"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZACAS]\n" + kCites)), "deps.yaml:3: ZACAS requires itself"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO, ZAAMO]\n" + kCites)),
                        "deps.yaml:3: requires lists ZAAMO twice"));
  // Zacas declared without its prerequisite.
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", kCites)), "deps.yaml:2: rule for ZACAS needs requires or implies"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO]\n    manual: \"\"\n    kernel: {a: b}\n")),
                        "deps.yaml:2: rule for ZACAS needs the manual's definition"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO]\n    kernel: {a: b}\n")),
                        "deps.yaml:2: a rule lacks the required key 'manual'"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO]\n    manual: m\n")), "deps.yaml:2: a rule lacks the required key 'kernel'"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO]\n    manual: m\n    kernel: {}\n")),
                        "deps.yaml:5: kernel must map Debian versions to cpufeature.c citations"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO]\n    manual: m\n    kernel: [\"7.2 cpufeature.c\"]\n")),
                        "deps.yaml:5: kernel must map Debian versions to cpufeature.c citations"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO]\n    manual: m\n    kernel: {\"7.2\": \"\"}\n")),
                        "deps.yaml:5: an empty kernel citation (write \"none: ...\" when the kernel has no rule)"));
  EXPECT_TRUE(FailsWith(parse(rule("ZACAS", "    requires: [ZAAMO]\n" + kCites) + rule("ZAAMO", "    implies: [ZACAS]\n" + kCites)),
                        "deps.yaml:2: the rules form a cycle: ZAAMO -> ZACAS -> ZAAMO"));
}

}  // namespace
}  // namespace kvmct

namespace kvmct {
namespace {

// The ISAs policy.yaml lets a VMM build that break a rule: the prerequisite can be disabled
// while the dependent one is never-disable, both with ids at the release. "V=0 ZVBB=1".
std::vector<std::string> table_findings(const char* release_name) {
  const std::string dir = KVMCT_EXPECTED_ROOT "/riscv";
  Result<Expectations> e = Expectations::load_dir(dir);
  if (!e) return {e.error().to_string()};
  Result<Dependencies> d = Dependencies::parse(read_text(dir + "/isa-dependencies.yaml"), "deps", e->catalogue);
  if (!d) return {d.error().to_string()};
  const KernelVersion at = *KernelVersion::parse(release_name);
  const ReleasePolicy p = e->policy.at(*e->policy.release(at));
  auto exists = [&](const std::string& n) { return !(at < e->catalogue.by_name(n)->since); };
  auto never = [&](const std::string& n) { return p.disable.count(n) && p.disable.at(n).kind == OpKind::Never; };
  std::vector<std::string> out;
  for (const DependencyRule& r : d->rules()) {
    if (!exists(r.extension) || !never(r.extension) || !r.when.empty()) continue;
    for (const std::string& n : r.needs)
      if (exists(n) && !p.disable.count(n)) out.push_back(n + "=0 " + r.extension + "=1");
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

TEST(IsaDependencyFindings, PolicyTablesAllowImpossibleIsas) {
  const std::vector<std::string> f612 = table_findings("6.12"), f72 = table_findings("7.2");
  std::string list612, list72;
  for (const std::string& s : f612) list612 += s + "; ";
  for (const std::string& s : f72) list72 += s + "; ";
  testing::Test::RecordProperty("findings_6_12", list612);
  testing::Test::RecordProperty("findings_7_2", list72);
  for (const auto* f : {&f612, &f72}) {
    EXPECT_TRUE(has(*f, "V=0 ZVBB=1")) << list612 << " | " << list72;
    EXPECT_TRUE(has(*f, "F=0 ZFA=1")) << list612 << " | " << list72;
  }
  EXPECT_TRUE(has(f72, "F=0 ZFBFMIN=1")) << list72;
  EXPECT_FALSE(has(f612, "F=0 ZFBFMIN=1")) << "ZFBFMIN has no id in 6.12: " << list612;
  std::cout << "6.12 (" << f612.size() << "): " << list612 << "\n7.2 (" << f72.size() << "): " << list72 << "\n";
}

}  // namespace
}  // namespace kvmct
