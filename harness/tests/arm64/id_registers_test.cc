// SPDX-License-Identifier: MIT
// The arm64 ID-register table loader: a small valid file, each negative case that file with exactly
// one defect (the whole file:line message asserted), and release selection with stable changes.
#include <gtest/gtest.h>
#include <ostream>

#include "arm64/expect/id_registers.h"
#include "fails_with.h"

namespace kvmct {
namespace {

// Line numbers matter: the negative cases name them.
const std::string kValid =
    "releases:\n"                                                                               // 1
    "  - release: \"6.12\"\n"                                                                   // 2
    "    provenance: verified\n"                                                                // 3
    "    source: \"Debian linux-source-6.12 6.12.117-1, arch/arm64/kvm/sys_regs.c\"\n"          // 4
    "    stable:\n"                                                                             // 5
    "      - {fixed_in: \"6.12.7\", debian: \"6.12.8-1\", title: T, provenance: derived,\n"     // 6
    "         source: changelog, masks_before: {ID_AA64DFR0_EL1: 0xfff}}\n"                     // 7
    "    registers:\n"                                                                          // 8
    "      - name: ID_AA64DFR0_EL1\n"                                                           // 9
    "        encoding: [3, 0, 0, 5, 0]\n"                                                       // 10
    "        slot: 40\n"                                                                        // 11
    "        scope: vm\n"                                                                       // 12
    "        kind: feature\n"                                                                   // 13
    "        mask: 0x0f0f\n"                                                                    // 14
    "        mask_of: fields\n"                                                                 // 15
    "        set_user: set_id_aa64dfr0_el1\n"                                                   // 16
    "        filters:\n"                                                                        // 17
    "          - {field: DebugVer, kind: refuse_below, value: 6, cite: f}\n"                    // 18
    "          - {field: PMUVer, kind: rewrite, value: 15, to: 0, cite: f}\n"                   // 19
    "          - {field: TraceVer, kind: hw_value_ignored, cite: f}\n"                          // 20
    "        fields:\n"                                                                         // 21
    "          - {name: PMUVer, lsb: 8, width: 4, rule: lower-safe, host_rule: exact, writable: true}\n"  // 22
    "          - {name: TraceVer, lsb: 4, width: 4, rule: exact, safe: 0}\n"                    // 23
    "          - {name: DebugVer, lsb: 0, width: 4, rule: lower-safe, safe: 6, writable: true}\n"  // 24
    "      - name: S3_0_0_5_2\n"                                                                // 25
    "        encoding: [3, 0, 0, 5, 2]\n"                                                       // 26
    "        slot: 42\n"                                                                        // 27
    "        scope: vm\n"                                                                       // 28
    "        kind: raz\n"                                                                       // 29
    "        mask: 0x0\n"                                                                       // 30
    "        mask_of: literal\n"                                                                // 31
    "        set_user: set_id_reg\n"                                                            // 32
    "  - release: \"7.2\"\n"                                                                    // 33
    "    until: \"7.3\"\n"                                                                      // 34
    "    provenance: derived\n"                                                                 // 35
    "    source: \"commits 123456789abc\"\n"                                                    // 36
    "    imp_id_cap: 239\n"                                                                     // 37
    "    registers:\n"                                                                          // 38
    "      - name: CTR_EL0\n"                                                                   // 39
    "        encoding: [3, 3, 0, 0, 1]\n"                                                       // 40
    "        slot: 129\n"                                                                       // 41
    "        scope: vm\n"                                                                       // 42
    "        kind: feature\n"                                                                   // 43
    "        mask: 0xc000\n"                                                                    // 44
    "        mask_of: literal\n"                                                                // 45
    "        set_user: set_ctr_el0\n"                                                           // 46
    "        fields:\n"                                                                         // 47
    "          - {name: L1Ip, lsb: 14, width: 2, rule: exact, safe: 2, writable: true}\n";      // 48

Result<IdRegTables> parse(const std::string& text) { return IdRegTables::parse(text, "x.yaml"); }

// kValid with `from` (which must occur exactly once) replaced by `to`.
std::string with(const std::string& from, const std::string& to) {
  const size_t at = kValid.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(kValid.find(from, at + 1), std::string::npos) << from << " occurs twice";
  std::string s = kValid;
  return s.replace(at, from.size(), to);
}

KernelVersion v(const char* s) { return *KernelVersion::parse(s); }

TEST(IdRegTables, LoadsTheValidFile) {
  Result<IdRegTables> t = parse(kValid);
  ASSERT_TRUE(t) << t.error().to_string();
  ASSERT_EQ(t->releases().size(), 2u);
  const IdRegRelease& r612 = t->releases()[0];
  EXPECT_EQ(r612.line, 2);
  EXPECT_EQ(r612.provenance, TableProvenance::Verified);
  EXPECT_FALSE(r612.imp_id_cap.has_value());
  ASSERT_EQ(r612.registers.size(), 2u);
  const IdRegister& dfr0 = r612.registers[0];
  EXPECT_EQ(dfr0.name, "ID_AA64DFR0_EL1");
  EXPECT_EQ(dfr0.line, 9);
  EXPECT_EQ(dfr0.slot, 40);
  EXPECT_EQ(dfr0.mask, 0x0f0fu);
  EXPECT_TRUE(dfr0.mask_of_fields);
  ASSERT_EQ(dfr0.fields.size(), 3u);
  const IdRegField* pmu = dfr0.field("PMUVer");
  ASSERT_NE(pmu, nullptr);
  EXPECT_EQ(pmu->rule, SafeRule::LowerSafe);
  EXPECT_EQ(pmu->host_rule, SafeRule::Exact);
  EXPECT_EQ(pmu->mask(), 0xf00u);
  EXPECT_EQ(pmu->line, 22);
  EXPECT_EQ(dfr0.field("DebugVer")->safe, 6u);
  EXPECT_FALSE(dfr0.field("TraceVer")->writable);
  ASSERT_EQ(dfr0.filters.size(), 3u);
  EXPECT_EQ(dfr0.filters[0].kind, FilterKind::RefuseBelow);
  EXPECT_EQ(dfr0.filters[0].values, std::vector<long>{6});
  EXPECT_EQ(dfr0.filters[1].to, 0);
  EXPECT_EQ(r612.registers[1].kind, RegKind::Raz);
  ASSERT_EQ(r612.stable.size(), 1u);
  EXPECT_EQ(r612.stable[0].fixed_in, v("6.12.7"));
  EXPECT_EQ(r612.stable[0].debian, "6.12.8-1");
  EXPECT_EQ(r612.stable[0].masks_before.at("ID_AA64DFR0_EL1"), 0xfffu);
  const IdRegRelease& r72 = t->releases()[1];
  EXPECT_EQ(r72.until, v("7.3"));
  EXPECT_EQ(r72.imp_id_cap, 239);
  EXPECT_EQ(r72.registers[0].field("L1Ip")->safe, 2u);
}

TEST(IdRegTables, StableChangesApplyToOlderPatchLevels) {
  Result<IdRegTables> t = parse(kValid);
  ASSERT_TRUE(t) << t.error().to_string();
  Result<IdRegSelection> old = t->select(v("6.12.6"));
  ASSERT_TRUE(old) << old.error().to_string();
  const IdRegister* dfr0 = old->release.reg("ID_AA64DFR0_EL1");
  EXPECT_EQ(dfr0->mask, 0xfffu);
  EXPECT_FALSE(dfr0->mask_of_fields);
  EXPECT_TRUE(dfr0->field("TraceVer")->writable) << "inside the older mask";
  EXPECT_EQ(old->stable_missing, std::vector<std::string>{"T"});
  Result<IdRegSelection> fixed = t->select(v("6.12.7"));
  ASSERT_TRUE(fixed);
  EXPECT_EQ(fixed->release.reg("ID_AA64DFR0_EL1")->mask, 0x0f0fu);
  EXPECT_TRUE(fixed->stable_missing.empty());
  EXPECT_FALSE(fixed->newer_than_tables);
}

TEST(IdRegTables, SelectsByRange) {
  Result<IdRegTables> t = parse(kValid);
  ASSERT_TRUE(t);
  Result<IdRegSelection> s73 = t->select(v("7.3.4"));
  ASSERT_TRUE(s73);
  EXPECT_EQ(s73->release.name(), "7.2");
  EXPECT_FALSE(s73->newer_than_tables);
  Result<IdRegSelection> s74 = t->select(v("7.4.1"));
  ASSERT_TRUE(s74);
  EXPECT_TRUE(s74->newer_than_tables);
  EXPECT_FALSE(t->select(v("6.15.2")));
  EXPECT_EQ(t->select(v("6.15.2")).error().what,
            "x.yaml: no release range covers kernel 6.15.2 (kvmct cannot derive its ID-register rules)");
  EXPECT_EQ(t->select(v("6.11.0")).error().what,
            "x.yaml: kernel 6.11.0 is older than the first release in the tables (6.12)");
}

TEST(IdRegTables, EncodingHelpersFollowTheUapiMacro) {
  // Slots the reference lists: MIDR 0, MPIDR 5, REVIDR 6, ID_PFR0 8, ID_AA64PFR0 32, DFR0 40,
  // ISAR0 48, MMFR0 56, CLIDR 65, AIDR 71, CTR_EL0 129.
  EXPECT_EQ(feature_id_range_idx({3, 0, 0, 0, 0}), 0);
  EXPECT_EQ(feature_id_range_idx({3, 0, 0, 0, 5}), 5);
  EXPECT_EQ(feature_id_range_idx({3, 0, 0, 0, 6}), 6);
  EXPECT_EQ(feature_id_range_idx({3, 0, 0, 1, 0}), 8);
  EXPECT_EQ(feature_id_range_idx({3, 0, 0, 4, 0}), 32);
  EXPECT_EQ(feature_id_range_idx({3, 0, 0, 5, 0}), 40);
  EXPECT_EQ(feature_id_range_idx({3, 0, 0, 6, 0}), 48);
  EXPECT_EQ(feature_id_range_idx({3, 0, 0, 7, 0}), 56);
  EXPECT_EQ(feature_id_range_idx({3, 1, 0, 0, 1}), 65);
  EXPECT_EQ(feature_id_range_idx({3, 1, 0, 0, 7}), 71);
  EXPECT_EQ(feature_id_range_idx({3, 3, 0, 0, 1}), 129);
  EXPECT_TRUE(is_feature_id_encoding({3, 3, 0, 7, 7}));
  EXPECT_FALSE(is_feature_id_encoding({3, 2, 0, 0, 0})) << "op1 2 (CSSELR_EL1) is outside";
  EXPECT_FALSE(is_feature_id_encoding({3, 0, 1, 0, 0}));
  EXPECT_FALSE(is_feature_id_encoding({2, 0, 0, 0, 0}));
}

TEST(IdRegTables, ReleasesMustBeANonEmptyList) {
  EXPECT_TRUE(FailsWith(parse("releases: []\n"), "x.yaml:1: 'releases' must be a non-empty list"));
  EXPECT_TRUE(FailsWith(parse("releases: 3\n"), "x.yaml:1: 'releases' must be a non-empty list"));
  EXPECT_TRUE(FailsWith(parse("releases: {a: 1}\n"), "x.yaml:1: 'releases' must be a non-empty list"));
}

TEST(IdRegTables, RegistersMustBeANonEmptyList) {
  const std::string head = "releases:\n  - {release: \"7.2\", provenance: derived, source: s, registers: ";
  EXPECT_TRUE(FailsWith(parse(head + "[]}\n"), "x.yaml:2: release 7.2: registers must be a non-empty list"));
  EXPECT_TRUE(FailsWith(parse(head + "3}\n"), "x.yaml:2: release 7.2: registers must be a non-empty list"));
  EXPECT_TRUE(FailsWith(parse(head + "{a: 1}}\n"), "x.yaml:2: release 7.2: registers must be a non-empty list"));
}

TEST(IdRegTables, NamesAreTheYamlSpellings) {
  EXPECT_EQ(safe_rule_name(SafeRule::Exact), "exact");
  EXPECT_EQ(safe_rule_name(SafeRule::LowerSafe), "lower-safe");
  EXPECT_EQ(safe_rule_name(SafeRule::HigherSafe), "higher-safe");
  EXPECT_EQ(safe_rule_name(SafeRule::HigherOrZero), "higher-or-zero");
  EXPECT_EQ(safe_rule_name(SafeRule::None), "none");
  EXPECT_EQ(reg_kind_name(RegKind::Feature), "feature");
  EXPECT_EQ(reg_kind_name(RegKind::AArch32), "aarch32");
  EXPECT_EQ(reg_kind_name(RegKind::Raz), "raz");
  EXPECT_EQ(reg_kind_name(RegKind::ImplementationId), "implementation_id");
  EXPECT_EQ(reg_kind_name(RegKind::NoUserSet), "no_user_set");
}

struct Defect {
  const char* name;
  const char* from;
  const char* to;
  const char* message;
};
// What ctest and a failure print for a case (else GoogleTest dumps the struct's bytes).
void PrintTo(const Defect& d, std::ostream* os) { *os << d.name; }

class IdRegTablesDefect : public ::testing::TestWithParam<Defect> {};

TEST_P(IdRegTablesDefect, FailsWithFileLine) {
  const Defect& d = GetParam();
  EXPECT_TRUE(FailsWith(parse(with(d.from, d.to)), d.message));
}

const Defect kDefects[] = {
    {"RootUnknownKey", "releases:\n", "bogus: 1\nreleases:\n", "x.yaml:1: unknown key 'bogus' in the ID-register tables"},
    {"ReleaseUnknownKey", "    imp_id_cap: 239\n", "    imp_id_cap: 239\n    bogus: 1\n", "x.yaml:38: unknown key 'bogus' in a release"},
    {"UntilBeforeRelease", "    until: \"7.3\"\n", "    until: \"7.1\"\n", "x.yaml:34: release 7.2: until 7.1.0 is before it"},
    {"ReleasesOverlap", "  - release: \"7.2\"\n", "  - release: \"6.12\"\n",
     "x.yaml:33: release 6.12 overlaps or precedes release 6.12 (line 2): ranges go oldest first, disjoint"},
    {"VerifiedWithoutDebianSource", "    source: \"Debian linux-source-6.12 6.12.117-1, arch/arm64/kvm/sys_regs.c\"\n",
     "    source: \"read somewhere\"\n",
     "x.yaml:4: release 6.12 is verified but its source does not name 'Debian linux-source-X.Y VERSION, FILE'"},
    {"ProvenanceUnknown", "    provenance: derived\n", "    provenance: guessed\n",
     "x.yaml:35: provenance 'guessed' is not one of derived, verified"},
    {"RegisterUnknownKey", "        set_user: set_ctr_el0\n", "        set_user: set_ctr_el0\n        bogus: 1\n",
     "x.yaml:47: unknown key 'bogus' in a register"},
    {"EncodingNotFive", "[3, 3, 0, 0, 1]", "[3, 3, 0, 0]", "x.yaml:40: CTR_EL0: encoding must be [op0, op1, CRn, CRm, op2]"},
    {"EncodingNotAList", "[3, 3, 0, 0, 1]", "3", "x.yaml:40: CTR_EL0: encoding must be [op0, op1, CRn, CRm, op2]"},
    {"EncodingAMap", "[3, 3, 0, 0, 1]", "{a: 3, b: 3, c: 0, d: 0, e: 1}",
     "x.yaml:40: CTR_EL0: encoding must be [op0, op1, CRn, CRm, op2]"},
    {"EncodingOutsideRange", "[3, 3, 0, 0, 1]", "[3, 3, 1, 0, 1]",
     "x.yaml:40: CTR_EL0 is outside the Feature ID range (op0 3, op1 0/1/3, CRn 0, CRm 0-7)"},
    {"SlotWrong", "        slot: 129\n", "        slot: 130\n",
     "x.yaml:41: CTR_EL0: slot 130 is not KVM_ARM_FEATURE_ID_RANGE_IDX of its encoding (129)"},
    {"ScopeUnknown", "        scope: vm\n        kind: raz\n", "        scope: vmx\n        kind: raz\n",
     "x.yaml:28: scope 'vmx' is not one of vcpu, vm"},
    {"MaskNotHex", "        mask: 0xc000\n", "        mask: 49152\n",
     "x.yaml:44: mask '49152' is not a hex word like 0x00000000ffffffff"},
    {"RazWithMask", "        mask: 0x0\n", "        mask: 0x1\n", "x.yaml:30: S3_0_0_5_2 is RAZ but has a non-zero mask"},
    {"FieldsNotAList", "        fields:\n          - {name: L1Ip, lsb: 14, width: 2, rule: exact, safe: 2, writable: true}\n",
     "        fields: 3\n", "x.yaml:47: CTR_EL0: fields must be a list"},
    {"FieldUnknownKey", "rule: exact, safe: 0}", "rule: exact, safe: 0, bogus: 1}", "x.yaml:23: unknown key 'bogus' in a field"},
    {"FieldLsbNegative", "lsb: 4, width: 4", "lsb: -1, width: 4",
     "x.yaml:23: ID_AA64DFR0_EL1.TraceVer (lsb -1, width 4) does not lie inside a 64-bit register"},
    {"FieldWidthZero", "lsb: 4, width: 4", "lsb: 4, width: 0",
     "x.yaml:23: ID_AA64DFR0_EL1.TraceVer (lsb 4, width 0) does not lie inside a 64-bit register"},
    {"FieldPastBit63", "lsb: 4, width: 4", "lsb: 62, width: 4",
     "x.yaml:23: ID_AA64DFR0_EL1.TraceVer (lsb 62, width 4) does not lie inside a 64-bit register"},
    {"FieldRuleUnknown", "rule: exact, safe: 0}", "rule: lowest, safe: 0}",
     "x.yaml:23: rule 'lowest' is not one of exact, higher-or-zero, higher-safe, lower-safe, none"},
    {"SafeNegative", "rule: exact, safe: 0}", "rule: exact, safe: -1}",
     "x.yaml:23: ID_AA64DFR0_EL1.TraceVer: safe -1 does not fit in 4 bits"},
    {"SafeTooWide", "rule: exact, safe: 0}", "rule: exact, safe: 16}",
     "x.yaml:23: ID_AA64DFR0_EL1.TraceVer: safe 16 does not fit in 4 bits"},
    {"FieldsOverlap", "lsb: 4, width: 4", "lsb: 6, width: 4", "x.yaml:23: ID_AA64DFR0_EL1.TraceVer overlaps an earlier field"},
    {"WritableOutsideMask", "rule: exact, safe: 0}", "rule: exact, safe: 0, writable: true}",
     "x.yaml:23: ID_AA64DFR0_EL1.TraceVer is marked writable but is not inside the mask"},
    {"InsideMaskNotWritable", "safe: 6, writable: true}", "safe: 6}",
     "x.yaml:24: ID_AA64DFR0_EL1.DebugVer lies inside the mask but is not marked writable"},
    {"MaskNotTheFieldUnion", "        mask: 0x0f0f\n", "        mask: 0x1f0f\n",
     "x.yaml:14: ID_AA64DFR0_EL1: mask_of fields, but the union of the writable fields is not the mask"},
    {"FilterUnknownKey", "kind: hw_value_ignored, cite: f}", "kind: hw_value_ignored, cite: f, bogus: 1}",
     "x.yaml:20: unknown key 'bogus' in a filter"},
    {"FilterUnknownField", "{field: TraceVer, kind: hw_value_ignored", "{field: Trace, kind: hw_value_ignored",
     "x.yaml:20: a filter of ID_AA64DFR0_EL1 names the field 'Trace', which the register does not have"},
    {"FilterKindUnknown", "kind: hw_value_ignored", "kind: ignored",
     "x.yaml:20: filter kind 'ignored' is not one of custom_check, equal_or_ni, first_run_cleared, hw_value_ignored, "
     "needs_cap, raz_without, refuse_below, refuse_values, rewrite, vgic_model"},
    {"FilterWithoutValue", "kind: refuse_below, value: 6,", "kind: refuse_below,",
     "x.yaml:18: a filter of ID_AA64DFR0_EL1 of this kind needs value or values"},
    {"RewriteWithoutTo", "value: 15, to: 0,", "value: 15,", "x.yaml:19: a rewrite filter of ID_AA64DFR0_EL1 needs 'to'"},
    {"StableUnknownKey", "title: T,", "title: T, bogus: 1,", "x.yaml:6: unknown key 'bogus' in a stable change"},
    {"StableOtherRelease", "fixed_in: \"6.12.7\"", "fixed_in: \"6.13.1\"",
     "x.yaml:6: stable change 6.13.1 is not a 6.12 stable release"},
    {"StableOtherMinorSameMajor", "fixed_in: \"6.12.7\"", "fixed_in: \"7.12.7\"",
     "x.yaml:6: stable change 7.12.7 is not a 6.12 stable release"},
    {"StableVerified", "title: T, provenance: derived", "title: T, provenance: verified",
     "x.yaml:6: stable change 'T' must be derived: its kernel source was not read"},
    {"MasksBeforeNotAMap", "masks_before: {ID_AA64DFR0_EL1: 0xfff}", "masks_before: [1]",
     "x.yaml:7: masks_before must be a mapping REGISTER: mask"},
    {"MasksBeforeUnknownRegister", "masks_before: {ID_AA64DFR0_EL1: 0xfff}", "masks_before: {ID_AA64PFR0_EL1: 0xfff}",
     "x.yaml:7: stable change 'T' names ID_AA64PFR0_EL1, which release 6.12 lacks"},
    {"DuplicateRegister", "      - name: S3_0_0_5_2\n", "      - name: ID_AA64DFR0_EL1\n",
     "x.yaml:25: release 6.12 lists ID_AA64DFR0_EL1 twice"},
    {"SlotsNotAscending", "[3, 0, 0, 5, 2]\n        slot: 42", "[3, 0, 0, 4, 3]\n        slot: 35", "x.yaml:25: S3_0_0_5_2: registers go by ascending slot, once each (slot 35)"},
};

INSTANTIATE_TEST_SUITE_P(Loader, IdRegTablesDefect, ::testing::ValuesIn(kDefects),
                         [](const ::testing::TestParamInfo<Defect>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace kvmct
