// SPDX-License-Identifier: MIT
// The field planner: every safe-value rule (arm64_ftr_safe_value with KVM's overrides), signed
// fields, widths 1..8, the unconditional and conditional filters, whole-register filters, the
// combined write, and its invariants over every field of the real tables.
#include <gtest/gtest.h>

#include <ostream>

#include "arm64/expect/field_probe.h"
#include "read_text.h"

namespace kvmct {
namespace {

IdRegField field(const char* name, int lsb, int width, SafeRule rule, bool writable = true, bool is_signed = false,
                 uint64_t safe = 0) {
  IdRegField f;
  f.name = name;
  f.lsb = lsb;
  f.width = width;
  f.rule = rule;
  f.writable = writable;
  f.is_signed = is_signed;
  f.safe = safe;
  return f;
}

IdRegister reg_of(IdRegField f, std::vector<IdRegFilter> filters = {}) {
  IdRegister r;
  r.name = "ID_TEST_EL1";
  r.mask = f.writable ? f.mask() : 0;
  r.fields.push_back(std::move(f));
  r.filters = std::move(filters);
  return r;
}

IdRegFilter filter(const char* fld, FilterKind kind, std::vector<long> values, const char* when = "",
                   std::optional<long> to = std::nullopt) {
  IdRegFilter x;
  x.field = fld;
  x.kind = kind;
  x.values = std::move(values);
  x.to = to;
  x.when = when;
  x.cite = "sys_regs.c:set_test";
  return x;
}

// The probe of the register's only field with the field's limit `limit` (other bits 0).
FieldProbe probe(const IdRegister& r, uint64_t limit) {
  return probe_field(r, r.fields[0], with_field(r.fields[0], 0, limit));
}

TEST(FieldValue, ExtractsAndInsertsEveryWidthAtBothEnds) {
  for (int width = 1; width <= 8; ++width) {
    for (int lsb : {0, 64 - width}) {
      const IdRegField f = field("F", lsb, width, SafeRule::LowerSafe);
      const uint64_t all = (1ULL << width) - 1;
      EXPECT_EQ(field_value(f, ~0ULL), all) << width << "@" << lsb;
      EXPECT_EQ(with_field(f, ~0ULL, 0), ~0ULL & ~(all << lsb)) << width << "@" << lsb;
      EXPECT_EQ(with_field(f, 0, all + 1), 0u) << "a value wider than the field is cut: " << width;
      EXPECT_EQ(field_value(f, with_field(f, 0x5a5a5a5a5a5a5a5aULL, 1)), 1u);
    }
  }
}

TEST(FieldNumber, SignExtendsSignedFieldsOnly) {
  EXPECT_EQ(field_number(field("S", 4, 4, SafeRule::LowerSafe, true, true), 0xf), -1);
  EXPECT_EQ(field_number(field("S", 4, 4, SafeRule::LowerSafe, true, true), 0x7), 7);
  EXPECT_EQ(field_number(field("S", 4, 4, SafeRule::LowerSafe, true, true), 0x8), -8);
  EXPECT_EQ(field_number(field("U", 4, 4, SafeRule::LowerSafe), 0xf), 15);
  EXPECT_EQ(field_number(field("S1", 0, 1, SafeRule::LowerSafe, true, true), 1), -1);
}

TEST(RuleAccepts, FollowsArm64FtrSafeValue) {
  const IdRegField lower = field("L", 0, 4, SafeRule::LowerSafe);
  EXPECT_TRUE(rule_accepts(lower, 2, 1));
  EXPECT_TRUE(rule_accepts(lower, 2, 2));
  EXPECT_FALSE(rule_accepts(lower, 2, 3));
  const IdRegField higher = field("H", 0, 4, SafeRule::HigherSafe);
  EXPECT_TRUE(rule_accepts(higher, 2, 3));
  EXPECT_FALSE(rule_accepts(higher, 2, 1));
  const IdRegField orzero = field("Z", 0, 4, SafeRule::HigherOrZero);
  EXPECT_TRUE(rule_accepts(orzero, 2, 0));
  EXPECT_TRUE(rule_accepts(orzero, 2, 5));
  EXPECT_FALSE(rule_accepts(orzero, 2, 1));
  EXPECT_FALSE(rule_accepts(orzero, 0, 1)) << "at limit 0 only 0 is safe";
  const IdRegField exact = field("E", 0, 4, SafeRule::Exact, true, false, 1);
  EXPECT_TRUE(rule_accepts(exact, 3, 1)) << "the ftr safe_val is accepted";
  EXPECT_FALSE(rule_accepts(exact, 3, 2));
  EXPECT_FALSE(rule_accepts(exact, 3, 4));
  const IdRegField none = field("N", 0, 4, SafeRule::None);
  EXPECT_TRUE(rule_accepts(none, 3, 3));
  EXPECT_FALSE(rule_accepts(none, 3, 2));
}

TEST(RuleAccepts, ComparesSignedFieldsSignExtended) {
  const IdRegField s = field("FP", 0, 4, SafeRule::LowerSafe, true, true);
  EXPECT_TRUE(rule_accepts(s, 0, 0xf)) << "NI (-1) is lower than 0";
  EXPECT_FALSE(rule_accepts(s, 0xf, 0));
  EXPECT_FALSE(rule_accepts(s, 0, 1));
  const IdRegField sh = field("SH", 0, 4, SafeRule::HigherSafe, true, true);
  EXPECT_TRUE(rule_accepts(sh, 0xf, 0));
  EXPECT_FALSE(rule_accepts(sh, 0, 0xf));
}

TEST(ProbeField, LowerSafeStepsOneDownAndOneUp) {
  const FieldProbe p = probe(reg_of(field("AES", 4, 4, SafeRule::LowerSafe)), 2);
  EXPECT_EQ(p.safe, 1u);
  EXPECT_EQ(p.safe_reads_back, 1u);
  EXPECT_EQ(p.unsafe, 3u);
}

TEST(ProbeField, LowerSafeAtZeroHasNoSafeValueAndSaysWhy) {
  const FieldProbe p = probe(reg_of(field("AES", 4, 4, SafeRule::LowerSafe)), 0);
  EXPECT_FALSE(p.safe);
  EXPECT_NE(p.no_safe_why.find("lower-safe field at 0x0"), std::string::npos) << p.no_safe_why;
  EXPECT_EQ(p.unsafe, 1u);
}

TEST(ProbeField, EveryWidthFromOneToEight) {
  for (int width = 1; width <= 8; ++width) {
    const uint64_t max = (1ULL << width) - 1;
    const IdRegister u = reg_of(field("U", 8, width, SafeRule::LowerSafe));
    const FieldProbe at_max = probe(u, max);
    EXPECT_EQ(at_max.safe, max - 1) << width;
    EXPECT_FALSE(at_max.unsafe) << width;
    EXPECT_NE(at_max.no_unsafe_why, "") << width;
    EXPECT_EQ(probe(u, 0).unsafe, 1u) << width;
    if (width == 1) continue;
    const IdRegister s = reg_of(field("S", 8, width, SafeRule::LowerSafe, true, true));
    EXPECT_EQ(probe(s, 0).safe, max) << "-1 is lower than 0, width " << width;
    EXPECT_EQ(probe(s, 0).unsafe, 1u) << width;
    EXPECT_FALSE(probe(s, max >> 1).unsafe) << "the highest signed value, width " << width;
    EXPECT_FALSE(probe(s, (max >> 1) + 1).safe) << "the lowest signed value, width " << width;
  }
}

TEST(ProbeField, HigherSafe) {
  const IdRegister r = reg_of(field("CWG", 24, 4, SafeRule::HigherSafe));
  EXPECT_EQ(probe(r, 2).safe, 3u);
  EXPECT_EQ(probe(r, 2).unsafe, 1u);
  EXPECT_FALSE(probe(r, 0).unsafe);
  EXPECT_FALSE(probe(r, 15).safe);
}

TEST(ProbeField, HigherOrZero) {
  const IdRegister r = reg_of(field("Z", 0, 4, SafeRule::HigherOrZero));
  EXPECT_EQ(probe(r, 2).safe, 0u) << "zero is the distinguishing safe value";
  EXPECT_EQ(probe(r, 2).unsafe, 1u);
  EXPECT_EQ(probe(r, 1).safe, 0u);
  EXPECT_FALSE(probe(r, 1).unsafe) << "0 and everything above 1 are safe";
  EXPECT_FALSE(probe(r, 0).safe);
  EXPECT_EQ(probe(r, 0).unsafe, 1u);
}

TEST(ProbeField, ExactAcceptsOnlyItsSafeValue) {
  const IdRegister r = reg_of(field("TGRAN4_2", 40, 4, SafeRule::Exact, true, false, 1));
  EXPECT_EQ(probe(r, 2).safe, 1u);
  EXPECT_EQ(probe(r, 2).unsafe, 3u);
  EXPECT_FALSE(probe(r, 1).safe) << "at its safe value";
  EXPECT_EQ(probe(r, 1).unsafe, 2u);
}

TEST(ProbeField, RuleNoneAcceptsOnlyTheLimit) {
  const FieldProbe p = probe(reg_of(field("RAS", 28, 4, SafeRule::None)), 1);
  EXPECT_FALSE(p.safe);
  EXPECT_NE(p.no_safe_why.find("no ftr_bits"), std::string::npos) << p.no_safe_why;
  EXPECT_EQ(p.unsafe, 2u);
}

TEST(ProbeField, FixedFieldOnlyHasAChange) {
  const FieldProbe p = probe(reg_of(field("SVE", 32, 4, SafeRule::LowerSafe, false)), 1);
  EXPECT_FALSE(p.safe);
  EXPECT_EQ(p.no_safe_why, "outside the writable mask");
  EXPECT_EQ(p.unsafe, 2u) << "a lower value is a change too, but any change will do";
  EXPECT_EQ(probe(reg_of(field("SVE", 32, 4, SafeRule::LowerSafe, false)), 15).unsafe, 14u);
}

TEST(ProbeField, HwValueIgnoredChangesToTheHighestValue) {
  const IdRegField f = field("MPAM", 40, 4, SafeRule::LowerSafe, false);
  const FieldProbe p = probe(reg_of(f, {filter("MPAM", FilterKind::HwValueIgnored, {})}), 0);
  EXPECT_EQ(p.unsafe, 15u) << "1 may be the host's own MPAM, which KVM accepts and drops";
}

TEST(ProbeField, RefuseBelowBoundsTheSafeValue) {
  const IdRegister r = reg_of(field("DebugVer", 0, 4, SafeRule::LowerSafe), {filter("DebugVer", FilterKind::RefuseBelow, {6})});
  EXPECT_EQ(probe(r, 8).safe, 7u);
  const FieldProbe at_min = probe(r, 6);
  EXPECT_FALSE(at_min.safe);
  EXPECT_NE(at_min.no_safe_why.find("refuse_below 6"), std::string::npos) << at_min.no_safe_why;
  EXPECT_EQ(at_min.unsafe, 7u);
}

TEST(ProbeField, RefuseValuesAreNotTheSafeOrUnsafeValue) {
  // CTR_EL0.L1Ip: exact, safe VIPT (2); VPIPT (0) and AIVIVT (1) refused by set_ctr_el0.
  const IdRegister r = reg_of(field("L1Ip", 14, 2, SafeRule::Exact, true, false, 2),
                              {filter("L1Ip", FilterKind::RefuseValues, {0, 1})});
  EXPECT_EQ(probe(r, 3).safe, 2u);
  EXPECT_FALSE(probe(r, 3).unsafe) << "0 and 1 are refused by the filter, not by the rule";
  EXPECT_FALSE(probe(r, 2).safe);
  EXPECT_EQ(probe(r, 2).unsafe, 3u);
}

TEST(ProbeField, RewriteSourceIsNeverAProbe) {
  const IdRegister r = reg_of(field("PMUVer", 8, 4, SafeRule::LowerSafe), {filter("PMUVer", FilterKind::Rewrite, {15}, "", 0)});
  EXPECT_EQ(probe(r, 1).unsafe, 2u);
  EXPECT_FALSE(probe(r, 14).unsafe) << "15 is stored as 0, which is safe";
  const FilterEffect e = apply_filters(r, r.fields[0], 15);
  EXPECT_FALSE(e.refused);
  EXPECT_EQ(e.stored, 0u);
  EXPECT_NE(e.why.find("rewrite 15 -> 0"), std::string::npos) << e.why;
}

TEST(ApplyFilters, RewritesBeforeRefusing) {
  // set_id_dfr0_el1: PerfMon 15 becomes 0 and 0 passes "perfmon != 0 && perfmon < PMUv3".
  const IdRegister r = reg_of(field("PerfMon", 24, 4, SafeRule::LowerSafe),
                              {filter("PerfMon", FilterKind::Rewrite, {15}, "", 0),
                               filter("PerfMon", FilterKind::RefuseValues, {1, 2})});
  EXPECT_FALSE(apply_filters(r, r.fields[0], 15).refused);
  EXPECT_TRUE(apply_filters(r, r.fields[0], 2).refused);
  EXPECT_FALSE(apply_filters(r, r.fields[0], 3).refused);
  EXPECT_EQ(apply_filters(r, r.fields[0], 3).stored, 3u);
}

TEST(ValueMayBeRewritten, RewriteSourcesAndHwValueIgnoredFields) {
  const IdRegister r = reg_of(field("PMUVer", 8, 4, SafeRule::LowerSafe), {filter("PMUVer", FilterKind::Rewrite, {15}, "", 0)});
  EXPECT_TRUE(value_may_be_rewritten(r, r.fields[0], 15));
  EXPECT_FALSE(value_may_be_rewritten(r, r.fields[0], 14));
  const IdRegister dl = reg_of(field("DoubleLock", 36, 4, SafeRule::LowerSafe), {filter("DoubleLock", FilterKind::Rewrite, {0}, "nested", 15)});
  EXPECT_TRUE(value_may_be_rewritten(dl, dl.fields[0], 0)) << "conditional rewrites count";
  const IdRegister m = reg_of(field("MPAM", 40, 4, SafeRule::LowerSafe, false), {filter("MPAM", FilterKind::HwValueIgnored, {})});
  EXPECT_TRUE(value_may_be_rewritten(m, m.fields[0], 1));
  const IdRegister plain = reg_of(field("AES", 4, 4, SafeRule::LowerSafe), {filter("SHA1", FilterKind::HwValueIgnored, {})});
  EXPECT_FALSE(value_may_be_rewritten(plain, plain.fields[0], 1)) << "another field's filter";
}

TEST(ProbeField, ConditionalFiltersAreAvoided) {
  const IdRegister el2 = reg_of(field("EL2", 8, 4, SafeRule::LowerSafe),
                                {filter("EL2", FilterKind::RefuseBelow, {1}, "vCPU with nested virtualisation")});
  const FieldProbe p = probe(el2, 1);
  EXPECT_FALSE(p.safe) << "0 is refused under nested virtualisation";
  EXPECT_NE(p.no_safe_why.find("avoided"), std::string::npos) << p.no_safe_why;
  EXPECT_FALSE(apply_filters(el2, el2.fields[0], 0).refused) << "apply_filters only applies unconditional ones";

  const IdRegister dl = reg_of(field("DoubleLock", 36, 4, SafeRule::LowerSafe, true, true),
                               {filter("DoubleLock", FilterKind::Rewrite, {0}, "nested", 15)});
  EXPECT_EQ(probe(dl, 15).safe, 14u) << "-2 is lower than NI (-1)";
  EXPECT_EQ(probe(dl, 15).unsafe, 1u) << "0 may be rewritten to 15";

  const IdRegister tg = reg_of(field("TGRAN4_2", 40, 4, SafeRule::Exact, true, false, 1),
                               {filter("TGRAN4_2", FilterKind::EqualOrNi, {}, "nested")});
  EXPECT_EQ(probe(tg, 2).safe, 1u) << "NI is allowed either way";
}

TEST(ProbeField, FirstRunClearedFieldsGoToZero) {
  const IdRegister r = reg_of(field("GIC", 24, 4, SafeRule::LowerSafe), {filter("GIC", FilterKind::FirstRunCleared, {}, "no irqchip")});
  EXPECT_EQ(probe(r, 3).safe, 0u);
  EXPECT_EQ(probe(r, 3).unsafe, 4u);
}

TEST(ProbeField, WholeRegisterFilters) {
  IdRegister clidr = reg_of(field("LoC", 24, 3, SafeRule::None));
  clidr.filters.push_back(filter("", FilterKind::CustomCheck, {}));
  const FieldProbe c = probe(clidr, 1);
  EXPECT_FALSE(c.safe);
  EXPECT_FALSE(c.unsafe);
  EXPECT_NE(c.no_unsafe_why.find("custom_check"), std::string::npos) << c.no_unsafe_why;

  IdRegister zfr0 = reg_of(field("F64MM", 56, 4, SafeRule::LowerSafe));
  zfr0.filters.push_back(filter("", FilterKind::RazWithout, {}, "vCPU without SVE"));
  EXPECT_FALSE(probe(zfr0, 0).safe);
  EXPECT_EQ(probe(zfr0, 0).unsafe, 1u) << "refused whether RAZ or not";
  EXPECT_EQ(probe(zfr0, 2).safe, 1u) << "a non-zero value: not RAZ";
}

TEST(SafeRegisterWrite, MovesEveryWritableFieldWithASafeValue) {
  IdRegister r;
  r.name = "ID_TEST_EL1";
  r.fields = {field("A", 8, 4, SafeRule::LowerSafe), field("B", 4, 4, SafeRule::LowerSafe, false),
              field("C", 0, 4, SafeRule::LowerSafe)};
  const RegisterWrite w = safe_register_write(r, 0x222);
  EXPECT_EQ(w.value, 0x121u) << "A and C 2 -> 1, B outside the mask";
  const RegisterWrite w2 = safe_register_write(r, 0x220);
  EXPECT_EQ(w2.value, 0x120u);
  EXPECT_EQ(w2.moved, std::vector<std::string>{"A"});
  EXPECT_EQ(w.moved, (std::vector<std::string>{"A", "C"}));
  r.filters.push_back(filter("", FilterKind::CustomCheck, {}));
  EXPECT_EQ(safe_register_write(r, 0x222).value, 0x222u);
  EXPECT_TRUE(safe_register_write(r, 0x222).moved.empty());
}

// Over every field of every release of the real tables, at several limits: a safe value differs
// from the limit and is accepted by the rule and the filters, an unsafe one is refused by the
// mask or the rule, and an absent one says why.
TEST(ProbeFieldReal, InvariantsOverEveryField) {
  const std::string file = KVMCT_EXPECTED_ROOT "/arm64/id-registers.yaml";
  Result<IdRegTables> t = IdRegTables::parse(read_text(file), file);
  ASSERT_TRUE(t) << t.error().to_string();
  int probes = 0;
  for (const IdRegRelease& rel : t->releases()) {
    for (const IdRegister& reg : rel.registers) {
      for (const IdRegField& f : reg.fields) {
        for (uint64_t limit : {0ULL, 1ULL, 2ULL, 7ULL, 15ULL}) {
          const std::string at = rel.name() + " " + reg.name + "." + f.name + " at " + hex(limit);
          const uint64_t lreg = with_field(f, 0, limit);
          const FieldProbe p = probe_field(reg, f, lreg);
          ++probes;
          EXPECT_EQ(p.safe.has_value(), p.no_safe_why.empty()) << at;
          EXPECT_EQ(p.unsafe.has_value(), p.no_unsafe_why.empty()) << at;
          if (p.safe) {
            EXPECT_TRUE(f.writable) << at;
            EXPECT_NE(*p.safe, field_value(f, lreg)) << at;
            EXPECT_TRUE(rule_accepts(f, field_value(f, lreg), *p.safe)) << at;
            EXPECT_FALSE(apply_filters(reg, f, *p.safe).refused) << at;
          }
          if (p.unsafe) {
            EXPECT_NE(*p.unsafe, field_value(f, lreg)) << at;
            if (f.writable) {
              EXPECT_FALSE(rule_accepts(f, field_value(f, lreg), *p.unsafe)) << at;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(probes, 1000);
}

}  // namespace
}  // namespace kvmct
