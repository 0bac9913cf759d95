// SPDX-License-Identifier: MIT
// The real expected/arm64/id-registers.yaml: it loads, every field lies inside its register at
// the position arch/arm64/tools/sysreg gives, and the facts read in the 6.12 and 7.2 sources hold.
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <utility>

#include "arm64/expect/id_registers.h"
#include "arm64/sysreg_fields.h"
#include "read_text.h"

namespace kvmct {
namespace {

const std::string kFile = std::string(KVMCT_EXPECTED_ROOT "/arm64/id-registers.yaml");

const IdRegTables& tables() {
  static const IdRegTables t = [] {
    Result<IdRegTables> r = IdRegTables::parse(read_text(kFile), kFile);
    if (!r) {
      ADD_FAILURE() << r.error().to_string();
      return IdRegTables{};
    }
    return *r;
  }();
  return t;
}

const IdRegRelease& release(const char* name) {
  for (const IdRegRelease& r : tables().releases())
    if (r.name() == name) return r;
  ADD_FAILURE() << kFile << " has no release " << name;
  static const IdRegRelease none;
  return none;
}

KernelVersion v(const char* s) { return *KernelVersion::parse(s); }

// A missing register or field is a named failure and an empty stand-in, never a null dereference
// that would stop the other tests.
const IdRegister& reg(const IdRegRelease& r, const char* name) {
  if (const IdRegister* p = r.reg(name)) return *p;
  ADD_FAILURE() << kFile << ": release " << r.name() << " lacks " << name;
  static const IdRegister none;
  return none;
}

const IdRegField& field(const IdRegRelease& r, const char* name, const char* f) {
  if (const IdRegField* p = reg(r, name).field(f)) return *p;
  ADD_FAILURE() << kFile << ": release " << r.name() << " lacks " << name << "." << f;
  static const IdRegField none;
  return none;
}

TEST(IdRegRealTables, LoadTheVerifiedReleases) {
  Result<IdRegTables> r = IdRegTables::parse(read_text(kFile), kFile);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->releases().size(), 3u) << "6.12, 7.2, 7.3";
  for (const IdRegRelease& rel : r->releases()) EXPECT_EQ(rel.provenance, TableProvenance::Verified) << rel.name();
}

// One case per release and register, named after both: "V7_2_ID_AA64ISAR0_EL1".
struct RegCase {
  std::string release;
  IdRegister reg;
};
// What ctest and a failure print for a case (else GoogleTest dumps the struct's bytes).
void PrintTo(const RegCase& c, std::ostream* os) { *os << c.release << " " << c.reg.name; }

std::vector<RegCase> all_registers() {
  std::vector<RegCase> out;
  for (const IdRegRelease& rel : tables().releases())
    for (const IdRegister& r : rel.registers) out.push_back({rel.name(), r});
  return out;
}

class IdRegRealRegister : public ::testing::TestWithParam<RegCase> {};

TEST_P(IdRegRealRegister, FieldsLieInsideTheRegisterWhereSysregPutsThem) {
  const IdRegister& r = GetParam().reg;
  std::map<std::string, std::pair<int, int>> sysreg;
  for (const SysregField& f : kSysregFields)
    if (r.name == f.reg) sysreg[f.field] = {f.lsb, f.width};
  const int bits = r.kind == RegKind::AArch32 ? 32 : 64;
  for (const IdRegField& f : r.fields) {
    EXPECT_LE(f.lsb + f.width, bits) << r.name << "." << f.name << " (line " << f.line << ")";
    if (f.name == "RES1") continue;  // CTR_EL0 bit 31: a ftr_bits entry, no sysreg field
    auto it = sysreg.find(f.name);
    ASSERT_NE(it, sysreg.end()) << r.name << "." << f.name << " (line " << f.line << ") is not a field of tools/sysreg";
    EXPECT_EQ(f.lsb, it->second.first) << r.name << "." << f.name << " lsb (line " << f.line << ")";
    EXPECT_EQ(f.width, it->second.second) << r.name << "." << f.name << " width (line " << f.line << ")";
  }
}

TEST_P(IdRegRealRegister, MaskMatchesItsKind) {
  const IdRegister& r = GetParam().reg;
  switch (r.kind) {
    case RegKind::Raz:
    case RegKind::NoUserSet:
      EXPECT_EQ(r.mask, 0u) << r.name;
      break;
    case RegKind::AArch32:
      EXPECT_EQ(r.mask, 0xffffffffu) << r.name << ": GENMASK(31, 0) (AA32_ID_WRITABLE)";
      break;
    default:
      break;
  }
  // is_vm_ftr_id_reg(): op1 0, CRn 0, CRm 1..7, CTR_EL0, and from 6.15 MIDR/REVIDR/AIDR.
  const bool vm_range = r.encoding[1] == 0 && r.encoding[3] >= 1;
  const bool vm_named = r.name == "CTR_EL0" || r.kind == RegKind::ImplementationId;
  EXPECT_EQ(r.scope == RegScope::Vm, vm_range || vm_named) << r.name;
  // A mask bit never lies outside every field unless the kernel wrote the mask as a literal.
  if (r.mask_of_fields) {
    uint64_t u = 0;
    for (const IdRegField& f : r.fields)
      if (f.writable) u |= f.mask();
    EXPECT_EQ(u, r.mask) << r.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Real, IdRegRealRegister, ::testing::ValuesIn(all_registers()),
                         [](const ::testing::TestParamInfo<RegCase>& i) {
                           std::string n = "V" + i.param.release + "_" + i.param.reg.name;
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

TEST(IdRegRealTables, SlotsOfTheReference) {
  const IdRegRelease& r = release("7.2");
  const std::map<std::string, int> slots = {{"MIDR_EL1", 0},        {"MPIDR_EL1", 5},        {"REVIDR_EL1", 6},
                                            {"ID_PFR0_EL1", 8},     {"ID_AA64PFR0_EL1", 32}, {"ID_AA64DFR0_EL1", 40},
                                            {"ID_AA64ISAR0_EL1", 48}, {"ID_AA64MMFR0_EL1", 56}, {"CLIDR_EL1", 65},
                                            {"AIDR_EL1", 71},       {"CTR_EL0", 129}};
  for (const auto& [name, slot] : slots) {
    const IdRegister* reg = r.reg(name);
    ASSERT_NE(reg, nullptr) << name;
    EXPECT_EQ(reg->slot, slot) << name;
  }
}

TEST(IdRegRealTables, ExpectedMaskWords) {
  const IdRegRelease& b = release("7.2");
  const auto with32 = expected_masks(b, true);
  const auto without32 = expected_masks(b, false);
  EXPECT_EQ(with32[129], 0x300fc00fu) << "CTR_EL0: DIC IDC DminLine L1Ip IminLine";
  EXPECT_EQ(with32[8], 0xffffffffu) << "ID_PFR0_EL1";
  EXPECT_EQ(without32[8], 0u) << "ID_PFR0_EL1 without AArch32 EL0";
  EXPECT_EQ(without32[10], 0u) << "ID_DFR0_EL1 without AArch32 EL0";
  EXPECT_EQ(without32[32], with32[32]) << "ID_AA64PFR0_EL1 does not depend on AArch32";
  EXPECT_EQ(with32[5], 0u) << "MPIDR_EL1: no set_user";
  EXPECT_EQ(with32[64], 0u) << "CCSIDR_EL1";
  EXPECT_EQ(with32[65], 0x00007fffffffffffu) << "CLIDR_EL1: ~CLIDR_EL1_RES0";
  size_t used = 0;
  for (uint64_t w : with32) used += w != 0;
  EXPECT_EQ(used, 40u) << "7.2.13 with AArch32 EL0: 20 AArch32 + 15 AArch64 + CLIDR, AIDR, CTR + MIDR, REVIDR";
  EXPECT_EQ(expected_masks(release("6.12"), true)[0], 0u) << "6.12: MIDR is invariant, not in the masks";
}

TEST(IdRegRealTables, NewlyWritableIn72) {
  const IdRegRelease& a = release("6.12");
  const IdRegRelease& b = release("7.2");
  EXPECT_EQ(a.reg("ID_AA64ISAR3_EL1"), nullptr) << "6.12: slot 51 is ID_UNALLOCATED(6,3)";
  EXPECT_EQ(reg(a, "S3_0_0_6_3").kind, RegKind::Raz);
  for (const char* f : {"FPRCVT", "LSFE", "LSUI", "FAMINMAX"})
    EXPECT_TRUE(field(b, "ID_AA64ISAR3_EL1", f).writable) << f;
  EXPECT_FALSE(field(a, "ID_AA64MMFR4_EL1", "NV_frac").writable);
  EXPECT_TRUE(field(b, "ID_AA64MMFR4_EL1", "NV_frac").writable);
  EXPECT_FALSE(field(a, "CTR_EL0", "L1Ip").writable);
  EXPECT_TRUE(field(b, "CTR_EL0", "L1Ip").writable);
  EXPECT_FALSE(field(a, "ID_AA64PFR0_EL1", "RAS").writable);
  EXPECT_TRUE(field(b, "ID_AA64PFR0_EL1", "RAS").writable);
  for (const char* f : {"HCX", "TWED"}) {
    EXPECT_FALSE(field(a, "ID_AA64MMFR1_EL1", f).writable) << f;
    EXPECT_TRUE(field(b, "ID_AA64MMFR1_EL1", f).writable) << f;
  }
  EXPECT_FALSE(field(a, "ID_AA64MMFR0_EL1", "TGRAN4_2").writable);
  EXPECT_TRUE(field(b, "ID_AA64MMFR0_EL1", "TGRAN4_2").writable);
  EXPECT_FALSE(field(b, "ID_AA64MMFR0_EL1", "ASIDBITS").writable);
}

TEST(IdRegRealTables, ImplementationIdRegisters) {
  const IdRegRelease& a = release("6.12");
  const IdRegRelease& b = release("7.2");
  for (const char* n : {"MIDR_EL1", "REVIDR_EL1", "AIDR_EL1"}) {
    EXPECT_EQ(a.reg(n), nullptr) << n << ": invariant_sys_regs in 6.12, not in the mask array";
    ASSERT_NE(b.reg(n), nullptr) << n;
    EXPECT_EQ(reg(b, n).kind, RegKind::ImplementationId) << n;
    EXPECT_EQ(reg(b, n).scope, RegScope::Vm) << n;
    ASSERT_EQ(reg(b, n).filters.size(), 1u) << n;
    EXPECT_EQ(reg(b, n).filters[0].kind, FilterKind::NeedsCap) << n;
    EXPECT_EQ(reg(b, n).filters[0].values, std::vector<long>{239}) << n;
  }
  EXPECT_EQ(reg(b, "MIDR_EL1").mask, 0xffffffffu) << "GENMASK_ULL(31, 0)";
  EXPECT_EQ(reg(b, "REVIDR_EL1").mask, ~0ull);
  EXPECT_FALSE(a.imp_id_cap.has_value());
  EXPECT_EQ(b.imp_id_cap, 239);
  EXPECT_EQ(reg(b, "MPIDR_EL1").scope, RegScope::Vcpu);
  EXPECT_EQ(reg(b, "CLIDR_EL1").scope, RegScope::Vcpu);
}

TEST(IdRegRealTables, KvmSafeRuleOverrides) {
  for (const char* rel : {"6.12", "7.2"}) {
    const IdRegRelease& r = release(rel);
    for (auto [rn, fn] : {std::pair{"ID_AA64DFR0_EL1", "PMUVer"}, std::pair{"ID_AA64DFR0_EL1", "DebugVer"},
                          std::pair{"ID_DFR0_EL1", "PerfMon"}}) {
      const IdRegField& f = field(r, rn, fn);
      EXPECT_EQ(f.rule, SafeRule::LowerSafe) << rel << " " << rn << "." << fn;
      EXPECT_TRUE(f.host_rule.has_value()) << rel << " " << rn << "." << fn << ": cpufeature's own rule";
    }
    EXPECT_TRUE(field(r, "ID_AA64MMFR0_EL1", "TGRAN4").is_signed) << rel;
  }
}

bool has_filter(const IdRegister* r, const char* field, FilterKind kind) {
  for (const IdRegFilter& f : r->filters)
    if (f.field == field && f.kind == kind) return true;
  return false;
}

TEST(IdRegRealTables, PerRegisterFilters) {
  const IdRegRelease& a = release("6.12");
  const IdRegRelease& b = release("7.2");
  for (const IdRegRelease* r : {&a, &b}) {
    EXPECT_TRUE(has_filter(&reg(*r, "ID_AA64DFR0_EL1"), "DebugVer", FilterKind::RefuseBelow)) << r->name();
    EXPECT_TRUE(has_filter(&reg(*r, "ID_DFR0_EL1"), "PerfMon", FilterKind::RefuseValues)) << r->name();
    EXPECT_TRUE(has_filter(&reg(*r, "ID_AA64PFR0_EL1"), "MPAM", FilterKind::HwValueIgnored)) << r->name();
    EXPECT_TRUE(has_filter(&reg(*r, "ID_AA64PFR0_EL1"), "GIC", FilterKind::FirstRunCleared)) << r->name();
    EXPECT_TRUE(has_filter(&reg(*r, "ID_PFR1_EL1"), "GIC", FilterKind::FirstRunCleared)) << r->name();
    EXPECT_TRUE(has_filter(&reg(*r, "ID_AA64ZFR0_EL1"), "", FilterKind::RazWithout)) << r->name() << ": id_visibility";
  }
  EXPECT_FALSE(has_filter(&reg(a, "ID_AA64PFR0_EL1"), "EL0", FilterKind::RefuseBelow)) << "absent in 6.12.117";
  EXPECT_TRUE(has_filter(&reg(b, "ID_AA64PFR0_EL1"), "EL0", FilterKind::RefuseBelow));
  EXPECT_TRUE(has_filter(&reg(b, "ID_AA64PFR0_EL1"), "EL1", FilterKind::RefuseBelow));
  EXPECT_FALSE(has_filter(&reg(a, "CTR_EL0"), "L1Ip", FilterKind::RefuseValues));
  EXPECT_TRUE(has_filter(&reg(b, "CTR_EL0"), "L1Ip", FilterKind::RefuseValues));
  EXPECT_TRUE(has_filter(&reg(b, "ID_AA64PFR2_EL1"), "GCIE", FilterKind::FirstRunCleared));
  EXPECT_TRUE(has_filter(&reg(b, "ID_AA64MMFR2_EL1"), "NV", FilterKind::HwValueIgnored));
  // 7.x sets the GIC fields from the in-kernel vGIC model (kvm_vgic_finalize_idregs); 6.12 keeps them.
  EXPECT_TRUE(has_filter(&reg(b, "ID_AA64PFR0_EL1"), "GIC", FilterKind::VgicModel));
  EXPECT_FALSE(has_filter(&reg(a, "ID_AA64PFR0_EL1"), "GIC", FilterKind::VgicModel));
  // 7.3 clears S1PIE/S1POE at the first run when their dependencies are missing.
  const IdRegRelease& c = release("7.3");
  EXPECT_FALSE(has_filter(&reg(b, "ID_AA64MMFR3_EL1"), "S1PIE", FilterKind::FirstRunCleared));
  EXPECT_TRUE(has_filter(&reg(c, "ID_AA64MMFR3_EL1"), "S1PIE", FilterKind::FirstRunCleared));
  EXPECT_TRUE(has_filter(&reg(c, "ID_AA64MMFR3_EL1"), "S1POE", FilterKind::FirstRunCleared));
  EXPECT_EQ(reg(c, "ID_AA64PFR0_EL1").filters.size(), reg(b, "ID_AA64PFR0_EL1").filters.size());
}

TEST(IdRegRealTables, TrixieStableUpdates) {
  Result<IdRegSelection> now = tables().select(v("6.12.117"));
  ASSERT_TRUE(now) << now.error().to_string();
  EXPECT_TRUE(now->stable_missing.empty());
  EXPECT_EQ(reg(now->release, "ID_PFR0_EL1").mask, 0xffffffffu);

  Result<IdRegSelection> s59 = tables().select(v("6.12.59"));
  ASSERT_TRUE(s59);
  EXPECT_EQ(s59->stable_missing.size(), 1u);
  EXPECT_EQ(reg(s59->release, "ID_PFR0_EL1").mask, 0u) << "ID_SANITISED before 6.12.60";
  EXPECT_EQ(reg(s59->release, "ID_DFR0_EL1").mask, 0x0f00000fu) << "PerfMon | CopDbg";
  EXPECT_FALSE(field(s59->release, "ID_AA64MMFR0_EL1", "ASIDBITS").writable);

  Result<IdRegSelection> s6 = tables().select(v("6.12.6"));
  ASSERT_TRUE(s6);
  EXPECT_EQ(s6->stable_missing.size(), 2u);
  EXPECT_TRUE(field(s6->release, "ID_AA64MMFR0_EL1", "ASIDBITS").writable) << "before 6.12.7";

  Result<IdRegSelection> s0 = tables().select(v("6.12.0"));
  ASSERT_TRUE(s0);
  EXPECT_EQ(s0->stable_missing.size(), 3u);
}

TEST(IdRegRealTables, KernelsWithoutATable) {
  Result<IdRegSelection> gap = tables().select(v("6.15.4"));
  ASSERT_FALSE(gap);
  EXPECT_EQ(gap.error().what, kFile + ": no release range covers kernel 6.15.4 (kvmct cannot derive its ID-register rules)");
  Result<IdRegSelection> newer = tables().select(v("7.4.1"));
  ASSERT_TRUE(newer);
  EXPECT_TRUE(newer->newer_than_tables);
  EXPECT_EQ(newer->release.name(), "7.3");
  Result<IdRegSelection> bpo = tables().select(v("7.3.4"));
  ASSERT_TRUE(bpo);
  EXPECT_FALSE(bpo->newer_than_tables);
  EXPECT_EQ(bpo->release.name(), "7.3");
}

}  // namespace
}  // namespace kvmct
