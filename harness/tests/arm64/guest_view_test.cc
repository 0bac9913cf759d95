// SPDX-License-Identifier: MIT
// The guest view's expectation per field: the written value unless a host-managed filter of the
// tables changes it on this VM, and an error (never a guess) for a filter it cannot evaluate.
// Last: the real tables' host-managed fields of the 19 registers the guest payload reads.
#include <gtest/gtest.h>

#include <ostream>
#include <set>

#include "arm64/expect/guest_view.h"
#include "read_text.h"

namespace kvmct {
namespace {

IdRegField field(const char* name, int lsb, int width = 4) {
  IdRegField f;
  f.name = name;
  f.lsb = lsb;
  f.width = width;
  f.rule = SafeRule::LowerSafe;
  return f;
}

IdRegFilter filter(const char* field, FilterKind kind, std::string when = "") {
  IdRegFilter f;
  f.field = field;
  f.kind = kind;
  f.when = std::move(when);
  f.cite = "arch/arm64/kvm/sys_regs.c:x";
  return f;
}

IdRegister reg(const char* name, std::vector<IdRegFilter> filters, std::vector<IdRegField> fields) {
  IdRegister r;
  r.name = name;
  r.line = 7;
  r.filters = std::move(filters);
  r.fields = std::move(fields);
  return r;
}

GuestFieldExpectation expect(const IdRegister& r, const char* f, uint64_t written, const GuestViewFacts& facts = {}) {
  return guest_field_expectation(r, *r.field(f), written, facts, "t.yaml");
}

TEST(GuestView, UnfilteredFieldIsTheWrittenValue) {
  const IdRegister r = reg("ID_AA64ISAR0_EL1", {}, {field("RNDR", 60), field("AES", 4), field("B", 63, 1)});
  EXPECT_EQ(expect(r, "RNDR", 0x5000000000000020).value, 5u);
  EXPECT_EQ(expect(r, "AES", 0x5000000000000020).value, 2u);
  EXPECT_EQ(expect(r, "B", 0x8000000000000000).value, 1u);
  const GuestFieldExpectation e = expect(r, "AES", 0x20);
  EXPECT_EQ(e.host_managed, "");
  EXPECT_EQ(e.error, "");
}

TEST(GuestView, GicIsClearedAtFirstRunWithoutIrqchip) {
  const IdRegister r = reg("ID_AA64PFR0_EL1", {filter("GIC", FilterKind::FirstRunCleared, "no in-kernel irqchip")},
                           {field("GIC", 24), field("EL1", 4)});
  const GuestFieldExpectation e = expect(r, "GIC", 0x01000010);
  EXPECT_EQ(e.value, 0u);
  EXPECT_EQ(e.host_managed, "first_run_cleared: the first KVM_RUN clears it (no in-kernel irqchip)");
  EXPECT_EQ(e.cite, "arch/arm64/kvm/sys_regs.c:x (t.yaml:7)");
  EXPECT_EQ(expect(r, "EL1", 0x01000010).value, 1u) << "a filter of GIC leaves EL1 alone";
  EXPECT_EQ(expect(r, "EL1", 0x01000010).host_managed, "");
  EXPECT_EQ(expect(r, "EL1", 0x01000010).error, "");
  GuestViewFacts with_gic;
  with_gic.irqchip = true;
  EXPECT_NE(expect(r, "GIC", 0x01000010, with_gic).error, "") << "a vGIC's model is not modelled: an error";
}

TEST(GuestView, Pfr2GcieAndAArch32GicAreGicFields) {
  const IdRegister r2 = reg("ID_AA64PFR2_EL1", {filter("GCIE", FilterKind::FirstRunCleared, "no in-kernel irqchip")},
                            {field("GCIE", 12)});
  EXPECT_EQ(expect(r2, "GCIE", 0x1000).value, 0u);
  const IdRegister r32 = reg("ID_PFR1_EL1", {filter("GIC", FilterKind::FirstRunCleared, "no in-kernel vGICv3")},
                             {field("GIC", 28)});
  EXPECT_EQ(expect(r32, "GIC", 0x10000000).value, 0u);
}

TEST(GuestView, AnUnmodelledFirstRunClearingIsAnError) {
  const IdRegister r = reg("ID_AA64MMFR3_EL1", {filter("S1PIE", FilterKind::FirstRunCleared, "the VM lacks FEAT_TCR2")},
                           {field("S1PIE", 8)});
  const GuestFieldExpectation e = expect(r, "S1PIE", 0x100);
  EXPECT_EQ(e.error,
            "ID_AA64MMFR3_EL1.S1PIE: a first-run clearing (the VM lacks FEAT_TCR2) kvmct does not model "
            "[arch/arm64/kvm/sys_regs.c:x (t.yaml:7)]");
  EXPECT_EQ(expect(r, "S1PIE", 0).error, "") << "clearing a field at 0 changes nothing";
  EXPECT_EQ(expect(r, "S1PIE", 0).value, 0u);
}

TEST(GuestView, VgicModelOnlyWithAnIrqchip) {
  const IdRegister r = reg("ID_AA64PFR0_EL1", {filter("GIC", FilterKind::VgicModel, "in-kernel vGIC")}, {field("GIC", 24)});
  EXPECT_EQ(expect(r, "GIC", 0x01000000).value, 1u);
  EXPECT_EQ(expect(r, "GIC", 0x01000000).error, "");
  GuestViewFacts with_gic;
  with_gic.irqchip = true;
  EXPECT_NE(expect(r, "GIC", 0x01000000, with_gic).error, "");
}

TEST(GuestView, HwValueIgnoredReadsZero) {
  const IdRegister r = reg("ID_AA64PFR0_EL1", {filter("MPAM", FilterKind::HwValueIgnored)}, {field("MPAM", 40)});
  const GuestFieldExpectation e = expect(r, "MPAM", 0x10000000000);
  EXPECT_EQ(e.value, 0u);
  EXPECT_NE(e.host_managed, "");
}

TEST(GuestView, UnconditionalRewriteOnlyOfItsValue) {
  IdRegFilter rw = filter("PMUVer", FilterKind::Rewrite);
  rw.values = {15};
  rw.to = 0;
  const IdRegister r = reg("ID_AA64DFR0_EL1", {rw}, {field("PMUVer", 8)});
  const GuestFieldExpectation e = expect(r, "PMUVer", 0xf00);
  EXPECT_EQ(e.value, 0u);
  EXPECT_EQ(e.host_managed, "rewrite: 0xf is stored as 0x0");
  EXPECT_EQ(expect(r, "PMUVer", 0x100).value, 1u);
  EXPECT_EQ(expect(r, "PMUVer", 0x100).host_managed, "");
}

TEST(GuestView, DoubleLockRewriteOnlyOnNestedVcpus) {
  IdRegFilter rw = filter("DoubleLock", FilterKind::Rewrite, "vCPU with nested virtualisation");
  rw.values = {0};
  rw.to = 15;
  const IdRegister r = reg("ID_AA64DFR0_EL1", {rw}, {field("DoubleLock", 36)});
  EXPECT_EQ(expect(r, "DoubleLock", 0).value, 0u);
  EXPECT_EQ(expect(r, "DoubleLock", 0).error, "");
  GuestViewFacts nested;
  nested.nested = true;
  EXPECT_NE(expect(r, "DoubleLock", 0, nested).error, "");
}

TEST(GuestView, MteFracRewriteNeedsTheHostsMte) {
  IdRegFilter rw = filter("MTE_frac", FilterKind::Rewrite, "host MTE is MTE2 and MTE_frac NI");
  rw.values = {0};
  rw.to = 15;
  const IdRegister r = reg("ID_AA64PFR1_EL1", {rw}, {field("MTE_frac", 40), field("MTE", 8)});
  EXPECT_NE(expect(r, "MTE_frac", 0).error, "") << "host registers not read";
  GuestViewFacts no_mte;
  no_mte.host_el0 = std::map<std::string, uint64_t>{{"ID_AA64PFR1_EL1", 0x0}};
  EXPECT_EQ(expect(r, "MTE_frac", 0, no_mte).error, "");
  EXPECT_EQ(expect(r, "MTE_frac", 0, no_mte).value, 0u);
  GuestViewFacts mte2;
  mte2.host_el0 = std::map<std::string, uint64_t>{{"ID_AA64PFR1_EL1", 0x200}};
  EXPECT_NE(expect(r, "MTE_frac", 0, mte2).error, "");
  EXPECT_EQ(expect(r, "MTE_frac", 0x10000000000, mte2).error, "") << "only a written 0 is rewritten";
}

TEST(GuestView, RazWithoutSveIsZeroForEveryField) {
  IdRegFilter raz = filter("", FilterKind::RazWithout, "vCPU without KVM_ARM_VCPU_SVE");
  const IdRegister r = reg("ID_AA64ZFR0_EL1", {raz}, {field("F64MM", 56), field("SVEver", 0)});
  EXPECT_EQ(expect(r, "F64MM", 0).value, 0u);
  EXPECT_NE(expect(r, "SVEver", 0).host_managed, "");
  GuestViewFacts sve;
  sve.sve = true;
  EXPECT_EQ(expect(r, "SVEver", 1, sve).value, 1u);
  EXPECT_EQ(expect(r, "SVEver", 1, sve).host_managed, "");
}

TEST(GuestView, AcceptanceFiltersDoNotChangeTheView) {
  IdRegFilter below = filter("DebugVer", FilterKind::RefuseBelow);
  below.values = {6};
  const IdRegister r = reg("ID_AA64DFR0_EL1", {below}, {field("DebugVer", 0)});
  EXPECT_EQ(expect(r, "DebugVer", 6).value, 6u);
  EXPECT_EQ(expect(r, "DebugVer", 6).host_managed, "");
}

// The real tables, on the VM the suite builds (no vGIC, no SVE, not nested) and a host without
// MTE: every field of the payload's 19 registers has an expectation, and exactly these are managed.
TEST(GuestView, RealTablesHostManagedFields) {
  const std::string file = KVMCT_EXPECTED_ROOT "/arm64/id-registers.yaml";
  Result<IdRegTables> t = IdRegTables::parse(read_text(file), file);
  ASSERT_TRUE(t) << t.error().to_string();
  GuestViewFacts facts;
  facts.host_el0 = std::map<std::string, uint64_t>{{"ID_AA64PFR1_EL1", 0}};
  const std::set<std::string> payload = {
      "ID_AA64PFR0_EL1",  "ID_AA64PFR1_EL1",  "ID_AA64PFR2_EL1",  "ID_AA64ZFR0_EL1",  "ID_AA64SMFR0_EL1",
      "ID_AA64FPFR0_EL1", "ID_AA64DFR0_EL1",  "ID_AA64DFR1_EL1",  "ID_AA64AFR0_EL1",  "ID_AA64AFR1_EL1",
      "ID_AA64ISAR0_EL1", "ID_AA64ISAR1_EL1", "ID_AA64ISAR2_EL1", "ID_AA64ISAR3_EL1", "ID_AA64MMFR0_EL1",
      "ID_AA64MMFR1_EL1", "ID_AA64MMFR2_EL1", "ID_AA64MMFR3_EL1", "ID_AA64MMFR4_EL1"};
  for (const char* name : {"6.12", "7.2"}) {
    const IdRegRelease* rel = nullptr;
    for (const IdRegRelease& r : t->releases())
      if (r.name() == name) rel = &r;
    ASSERT_NE(rel, nullptr) << name;
    std::set<std::string> managed;
    for (const IdRegister& r : rel->registers) {
      if (!payload.count(r.name)) continue;
      for (const IdRegField& f : r.fields) {
        const GuestFieldExpectation e = guest_field_expectation(r, f, 0, facts, file);
        EXPECT_EQ(e.error, "") << name << " " << r.name << "." << f.name;
        if (!e.host_managed.empty() && r.name != "ID_AA64ZFR0_EL1") managed.insert(r.name + "." + f.name);
      }
    }
    std::set<std::string> want = {"ID_AA64PFR0_EL1.GIC", "ID_AA64PFR0_EL1.MPAM", "ID_AA64PFR1_EL1.MPAM_frac"};
    if (std::string(name) == "7.2") {
      want.insert("ID_AA64PFR2_EL1.GCIE");
      want.insert("ID_AA64MMFR2_EL1.NV");
    }
    EXPECT_EQ(managed, want) << name;
  }
}

}  // namespace
}  // namespace kvmct
