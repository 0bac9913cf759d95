// SPDX-License-Identifier: MIT
// expected/riscv/reg-list.yaml loads and predicts the kernel's list in the kernel's order; the
// loader rejects each defect with file:line.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fails_with.h"
#include "read_text.h"
#include "riscv/expect/expectations.h"
#include "riscv/expect/reg_list_layout.h"

namespace kvmct {
namespace {

using riscv::RegId;
using riscv::RegSize;
using riscv::RegType;

Catalogue small_catalogue() {
  Result<Catalogue> c = Catalogue::parse(
      "extensions:\n"
      "  - {name: F, id: 0, since: \"5.19\", host: [f], letter: f}\n"
      "  - {name: SSAIA, id: 1, since: \"6.6\", host: [ssaia]}\n"
      "  - {name: ZICBOM, id: 2, since: \"6.6\", host: [zicbom]}\n",
      "cat.yaml");
  EXPECT_TRUE(c) << c.error().to_string();
  return *c;
}

Result<RegListLayouts> parse(const std::string& classes, const std::string& tail = "") {
  static const Catalogue cat = small_catalogue();
  return RegListLayouts::parse("layouts:\n  - release: \"6.12\"\n    source: s\n    classes:\n" + classes + tail,
                               "r.yaml", cat);
}

// A vCPU with F and ZICBOM enabled, SSAIA not; STA enabled; ISA_EXT ids 0 and 5 readable.
VcpuRegFacts facts() {
  VcpuRegFacts f;
  f.isa_ext_enabled = [](std::string_view n) { return n == "F" || n == "ZICBOM"; };
  f.sbi_ext_enabled = [](uint32_t id) { return id == 10; };
  f.readable = [](RegId id) { return id.type() == RegType::IsaExt && (id.index() == 0 || id.index() == 5); };
  f.isa_ext_max = 8;
  return f;
}

TEST(RegListLayout, RealTableLoadsForBothDefaultKernels) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_ROOT "/riscv");
  ASSERT_TRUE(e) << e.error().to_string();
  Result<RegListLayouts> l = RegListLayouts::parse(read_text(KVMCT_EXPECTED_ROOT "/riscv/reg-list.yaml"),
                                                   "reg-list.yaml", e->catalogue);
  ASSERT_TRUE(l) << l.error().to_string();
  for (const char* k : {"6.12.117", "7.2.13"}) {
    const RegListLayouts::Pick p = l->pick(*KernelVersion::parse(k));
    ASSERT_NE(p.layout, nullptr) << k;
    EXPECT_FALSE(p.inherited) << k;
  }
  EXPECT_FALSE(l->pick(*KernelVersion::parse("7.3.4")).inherited);
  EXPECT_TRUE(l->pick(*KernelVersion::parse("7.4.1")).inherited);
  EXPECT_EQ(l->pick(*KernelVersion::parse("6.6.1")).layout, nullptr);
  EXPECT_EQ(l->pick(*KernelVersion::parse("7.0.1")).layout, nullptr) << "no kernel source read between 6.12 and 7.2";
}

TEST(RegListLayout, PredictsInTheKernelsOrder) {
  Result<RegListLayouts> l = parse(
      "      - {class: config, count: 3, index_needs: {1: ZICBOM, 2: SSAIA}}\n"
      "      - {class: csr_aia, count: 2, when: SSAIA}\n"
      "      - {class: fp_d, count: 3, when: F}\n"
      "      - {class: isa_ext}\n"
      "      - {class: sbi_sta, count: 2, when_sbi: STA}\n"
      "      - {class: sbi_fwft, readable_below: 6, when_sbi: FWFT}\n");
  ASSERT_TRUE(l) << l.error().to_string();
  const std::vector<uint64_t> got = predicted_reg_list(l->layouts()[0], facts());
  const std::vector<uint64_t> want = {
      RegId::make(RegType::Config, 0, 0).raw(),  RegId::make(RegType::Config, 0, 1).raw(),
      RegId::make(RegType::FpD, 0, 0).raw(),     RegId::make(RegType::FpD, 0, 1).raw(),
      RegId::make(RegType::FpD, 0, 2, RegSize::U32).raw(),  // fcsr is 32 bits
      RegId::make(RegType::IsaExt, 0, 0).raw(),  RegId::make(RegType::IsaExt, 0, 5).raw(),
      RegId::make(RegType::SbiState, 0, 0).raw(), RegId::make(RegType::SbiState, 0, 1).raw(),
  };
  EXPECT_EQ(got, want);
}

TEST(RegListLayout, VectorRegistersAreVlenbWide) {
  Result<RegListLayouts> l = parse("      - {class: vector, count: 37}\n");
  ASSERT_TRUE(l) << l.error().to_string();
  VcpuRegFacts f = facts();
  f.vlenb = 16;
  const std::vector<uint64_t> got = predicted_reg_list(l->layouts()[0], f);
  ASSERT_EQ(got.size(), 37u);
  EXPECT_EQ(got[4], RegId::make(RegType::Vector, 0, 4).raw());                  // vlenb
  EXPECT_EQ(got[5], RegId::make(RegType::Vector, 0, 6, RegSize::U128).raw());   // v0, 16 bytes
  EXPECT_EQ(got[36], RegId::make(RegType::Vector, 0, 37, RegSize::U128).raw());
}

TEST(RegListLayout, CandidatesReachPastTheBound) {
  Result<RegListLayouts> l = parse("      - {class: timer, count: 4}\n      - {class: isa_ext}\n");
  ASSERT_TRUE(l) << l.error().to_string();
  EXPECT_EQ(class_candidates(l->layouts()[0].classes[0], facts(), 2).size(), 6u);
  EXPECT_EQ(class_candidates(l->layouts()[0].classes[1], facts(), 0).size(), 8u) << "isa_ext: policy's isa_ext_max";
}

TEST(RegListLayout, ClassOfListedIds) {
  EXPECT_EQ(class_of(RegId::make(RegType::Csr, 1, 3)), RegListClass::CsrAia);
  EXPECT_EQ(class_of(RegId::make(RegType::SbiState, 1, 0)), RegListClass::SbiFwft);
  EXPECT_EQ(class_of(RegId::make(RegType::Csr, 3, 0)), RegListClass::CsrZicfiss);
  for (RegListClass c : {RegListClass::Config, RegListClass::CsrZicfiss, RegListClass::SbiFwft})
    EXPECT_EQ(reg_list_class(to_string(c)), c) << "kClasses must follow the enum's order";
  EXPECT_EQ(class_of(RegId::make(RegType::IsaExt, 1, 0)), std::nullopt) << "MULTI words are never listed";
  EXPECT_EQ(to_string(RegListClass::CsrSmstateen), "csr_smstateen");
}

TEST(RegListLayout, RootAndLayoutKeys) {
  EXPECT_TRUE(FailsWith(parse("      - {class: core, count: 1}\n", "extra: 1\n"), "r.yaml:6: unknown key 'extra' in the file"));
  EXPECT_TRUE(FailsWith(RegListLayouts::parse("{}\n", "r.yaml", small_catalogue()), "r.yaml:1: the file lacks the required key 'layouts'"));
  EXPECT_TRUE(FailsWith(RegListLayouts::parse("layouts: {a: 1}\n", "r.yaml", small_catalogue()), "r.yaml:1: 'layouts' must be a list"));
  EXPECT_TRUE(FailsWith(RegListLayouts::parse("layouts:\n  - {release: \"6.12\", source: s, classes: [], x: 1}\n", "r.yaml", small_catalogue()),
                        "r.yaml:2: unknown key 'x' in a layout"));
}

TEST(RegListLayout, ReleasesAscend) {
  EXPECT_TRUE(FailsWith(parse("      - {class: core, count: 1}\n", "  - {release: \"6.12\", source: s, classes: []}\n"),
                        "r.yaml:6: layout 6.12.0: layouts must be in ascending release order"));
}

TEST(RegListLayout, ClassKeysAndNames) {
  EXPECT_TRUE(FailsWith(parse("      - {class: core, count: 1, typo: 1}\n"), "r.yaml:5: unknown key 'typo' in layout 6.12.0 class"));
  EXPECT_TRUE(FailsWith(parse("      - {class: csr, count: 1}\n"),
                        "r.yaml:5: layout 6.12.0: unknown class csr (one of config, core, csr_*, timer, fp_f, fp_d, vector, isa_ext, sbi_ext, sbi_sta, sbi_fwft)"));
  EXPECT_TRUE(FailsWith(parse("      - {class: core, count: 1}\n      - {class: core, count: 2}\n"),
                        "r.yaml:6: layout 6.12.0: class core is listed twice"));
}

TEST(RegListLayout, ExactlyOneBound) {
  for (const char* c : {"      - {class: core}\n", "      - {class: core, count: 1, readable_below: 2}\n"})
    EXPECT_TRUE(FailsWith(parse(c), "r.yaml:5: layout 6.12.0: class core needs exactly one of count and readable_below")) << c;
  EXPECT_TRUE(FailsWith(parse("      - {class: isa_ext, readable_below: 62}\n"),
                        "r.yaml:5: layout 6.12.0: class isa_ext takes its bound from policy.yaml isa_ext_max"));
}

TEST(RegListLayout, ConditionsNameKnownExtensions) {
  EXPECT_TRUE(FailsWith(parse("      - {class: csr_aia, count: 7, when: SSAIB}\n"), "r.yaml:5: SSAIB is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(parse("      - {class: config, count: 7, index_needs: {1: ZICBOP}}\n"), "r.yaml:5: ZICBOP is not in cat.yaml"));
  EXPECT_TRUE(FailsWith(parse("      - {class: sbi_sta, count: 2, when_sbi: HSM}\n"),
                        "r.yaml:5: layout 6.12.0: HSM is not an SBI extension with state registers (STA, FWFT)"));
  EXPECT_TRUE(FailsWith(parse("      - {class: config, count: 7, index_needs: {7: ZICBOM}}\n"),
                        "r.yaml:5: layout 6.12.0: index_needs 7 is outside the class's count"));
  EXPECT_TRUE(FailsWith(parse("      - {class: sbi_ext, readable_below: 11, index_needs: {1: ZICBOM}}\n"),
                        "r.yaml:5: layout 6.12.0: index_needs is for a class with a count"));
}

}  // namespace
}  // namespace kvmct
