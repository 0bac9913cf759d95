// SPDX-License-Identifier: MIT
// KVM_GET_REG_LIST as a contract (vcpu_onereg.c kvm_riscv_vcpu_copy_reg_indices and its
// helpers): every id once, in the order expected/riscv/reg-list.yaml predicts from the
// vCPU's own registers; every listed register readable; every readable register listed.
// Lists are compared as lists: a duplicate or a reordering is a failure, not a no-op.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "isa_ext_checks.h"
#include "riscv/expect/reg_list_layout.h"

namespace kvmct {
namespace {

using riscv::RegId;
using riscv::RegType;

// Candidates read past each class's bound: an index the kernel answers but does not list.
constexpr uint32_t kMargin = 4;
// KVM_REG_RISCV_VECTOR_CSR_REG(vlenb).
constexpr uint32_t kVlenbIndex = 4;

struct Selected {
  RegListLayouts layouts;
  RegListLayouts::Pick pick;
};

// The table and this kernel's layout; the case skips, saying why, when no layout applies.
const Result<Selected>& selected() {
  static const Result<Selected> s = []() -> Result<Selected> {
    Result<ExpectedFile> f = context().expected_file("reg-list.yaml");
    if (!f) return f.error();
    Result<RegListLayouts> l = RegListLayouts::parse(f->text, f->name, context().catalogue());
    if (!l) return l.error();
    if (!context().kernel()) return Error{0, "the kernel release " + context().release() + " has no version"};
    Selected out{std::move(*l), {}};
    out.pick = out.layouts.pick(*context().kernel());
    return out;
  }();
  return s;
}

#define KVMCT_REG_LIST_LAYOUT(var)                                                                   \
  const Result<Selected>& var##_sel = selected();                                                    \
  ASSERT_TRUE(var##_sel) << var##_sel.error().to_string();                                           \
  if (!var##_sel->pick.layout) KVMCT_SKIP(SkipKind::NotApplicable) << var##_sel->pick.why;           \
  const RegListLayout& var = *var##_sel->pick.layout;                                                \
  RecordProperty("layout", var.release.to_string() + (var##_sel->pick.inherited ? " (inherited)" : ""))

// What the layout needs of one vCPU, read from that vCPU's registers.
VcpuRegFacts facts_of(Vcpu& vcpu) {
  VcpuRegFacts f;
  f.isa_ext_enabled = [&vcpu](std::string_view name) {
    const Extension* ext = context().catalogue().by_name(name);
    if (!ext) return false;
    Result<uint64_t> v = vcpu.get_reg(RegId::isa_ext(ext->id).raw());
    return v && *v == 1;
  };
  f.sbi_ext_enabled = [&vcpu](uint32_t id) {
    Result<uint64_t> v = vcpu.get_reg(RegId::make(RegType::SbiExt, 0, id).raw());
    return v && *v == 1;
  };
  f.readable = [&vcpu](RegId id) { return vcpu.get_reg_bytes(id.raw()).ok(); };
  if (Result<uint64_t> vlenb = vcpu.get_reg(RegId::make(RegType::Vector, 0, kVlenbIndex).raw())) f.vlenb = *vlenb;
  if (const Result<PolicySelection>& p = context().policy()) f.isa_ext_max = p->effective.release.isa_ext_max;
  return f;
}

std::string names(Vcpu& vcpu, const std::vector<uint64_t>& ids, size_t at_most = 8) {
  std::ostringstream out;
  for (size_t i = 0; i < ids.size() && i < at_most; i++) out << (i ? ", " : "") << vcpu.reg_name(ids[i]);
  if (ids.size() > at_most) out << ", ... (" << ids.size() << " in all)";
  return out.str();
}

// Where two lists first differ, and what each has that the other lacks.
std::string list_difference(Vcpu& vcpu, const std::vector<uint64_t>& got, const std::vector<uint64_t>& want) {
  size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) i++;
  std::ostringstream out;
  out << "first difference at position " << i << ": kernel "
      << (i < got.size() ? vcpu.reg_name(got[i]) : "end of list") << ", layout "
      << (i < want.size() ? vcpu.reg_name(want[i]) : "end of list");
  std::vector<uint64_t> extra, missing;
  for (uint64_t id : got)
    if (std::find(want.begin(), want.end(), id) == want.end()) extra.push_back(id);
  for (uint64_t id : want)
    if (std::find(got.begin(), got.end(), id) == got.end()) missing.push_back(id);
  if (!extra.empty()) out << "; listed, not in the layout: " << names(vcpu, extra);
  if (!missing.empty()) out << "; in the layout, not listed: " << names(vcpu, missing);
  return out.str();
}

TEST(RegList, EveryIdOnce) {
  Result<Vcpu*> vcpu = pristine_vcpu();
  ASSERT_TRUE(vcpu) << vcpu.error().to_string();
  uint64_t needed = 0;
  Result<std::vector<uint64_t>> probe = (*vcpu)->reg_list(0, &needed);
  ASSERT_EQ(probe.err(), E2BIG) << "KVM_GET_REG_LIST with n = 0 must be E2BIG";
  Result<std::vector<uint64_t>> list = (*vcpu)->reg_list(needed);
  ASSERT_TRUE(list) << list.error().to_string();
  EXPECT_EQ(list->size(), needed) << "the count KVM reports (kvm_riscv_vcpu_num_regs) differs from the ids it copies";
  std::map<uint64_t, int> seen;
  std::vector<uint64_t> twice;
  for (uint64_t id : *list)
    if (++seen[id] == 2) twice.push_back(id);
  EXPECT_TRUE(twice.empty()) << "listed more than once (kvm_riscv_vcpu_copy_reg_indices): " << names(**vcpu, twice);
  RecordProperty("registers", static_cast<int>(list->size()));
}

// The vCPU as created, and after every extension that accepts it was disabled: the classes
// that hang on an extension (FP, vector, AIA, Smstateen) leave the list with it.
enum class VcpuState { Default, AfterDisabling };

class RegListOrder : public testing::TestWithParam<VcpuState> {};

TEST_P(RegListOrder, MatchesKernelCopyFunctions) {
  KVMCT_REG_LIST_LAYOUT(layout);
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  if (GetParam() == VcpuState::AfterDisabling) {
    int disabled = 0;
    for (const auto& [id, value] : present_values(vcpu))
      if (value && vcpu.set_reg(RegId::isa_ext(id).raw(), 0)) ++disabled;
    RecordProperty("disabled", disabled);
  }
  Result<std::vector<uint64_t>> list = vcpu.reg_list();
  ASSERT_TRUE(list) << list.error().to_string();
  const std::vector<uint64_t> want = predicted_reg_list(layout, facts_of(vcpu));
  EXPECT_TRUE(*list == want) << "KVM_GET_REG_LIST differs from the layout: " << list_difference(vcpu, *list, want) << " (layout " << layout.release.to_string()
                         << ", " << layout.source << ")";
}

INSTANTIATE_TEST_SUITE_P(, RegListOrder, testing::Values(VcpuState::Default, VcpuState::AfterDisabling),
                         [](const testing::TestParamInfo<VcpuState>& i) {
                           return i.param == VcpuState::Default ? "Default" : "AfterDisabling";
                         });

constexpr RegListClass kClasses[] = {
    RegListClass::Config, RegListClass::Core,  RegListClass::CsrGeneral, RegListClass::CsrAia, RegListClass::CsrSmstateen,
    RegListClass::CsrZicfiss,
    RegListClass::Timer,  RegListClass::FpF,   RegListClass::FpD,        RegListClass::Vector, RegListClass::IsaExt,
    RegListClass::SbiExt, RegListClass::SbiSta, RegListClass::SbiFwft,
};

std::string class_test_name(const testing::TestParamInfo<RegListClass>& i) {
  std::string name;
  bool upper = true;
  for (char c : to_string(i.param)) {
    if (c == '_') { upper = true; continue; }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;  // "CsrAia"
}

class RegListClassTest : public testing::TestWithParam<RegListClass> {
 protected:
  // The class's rule in this kernel's layout; nullptr when the layout has no such class.
  static const RegListClassRule* rule_of(const RegListLayout& layout, RegListClass cls) {
    for (const RegListClassRule& r : layout.classes)
      if (r.cls == cls) return &r;
    return nullptr;
  }
};

class RegListReadable : public RegListClassTest {};

TEST_P(RegListReadable, EveryListedRegister) {
  Result<Vcpu*> vcpu = pristine_vcpu();
  ASSERT_TRUE(vcpu) << vcpu.error().to_string();
  Result<std::vector<uint64_t>> list = (*vcpu)->reg_list();
  ASSERT_TRUE(list) << list.error().to_string();
  int listed = 0;
  for (uint64_t raw : *list) {
    if (class_of(RegId(raw)) != GetParam()) continue;
    ++listed;
    Result<std::vector<uint8_t>> v = (*vcpu)->get_reg_bytes(raw);
    EXPECT_TRUE(v) << "listed by KVM_GET_REG_LIST but KVM_GET_ONE_REG fails: " << v.error().to_string();
  }
  RecordProperty("listed", listed);
  if (listed == 0) KVMCT_SKIP(SkipKind::NotApplicable) << "KVM lists no " << to_string(GetParam()) << " register on this vCPU";
}

INSTANTIATE_TEST_SUITE_P(, RegListReadable, testing::ValuesIn(kClasses), class_test_name);

class RegListComplete : public RegListClassTest {};

TEST_P(RegListComplete, EveryReadableRegister) {
  KVMCT_REG_LIST_LAYOUT(layout);
  const RegListClassRule* rule = rule_of(layout, GetParam());
  if (!rule)
    KVMCT_SKIP(SkipKind::NotApplicable) << "the " << layout.release.to_string() << " layout has no class "
                                        << to_string(GetParam()) << " (reg-list.yaml)";
  Result<Vcpu*> vcpu = pristine_vcpu();
  ASSERT_TRUE(vcpu) << vcpu.error().to_string();
  Result<std::vector<uint64_t>> list = (*vcpu)->reg_list();
  ASSERT_TRUE(list) << list.error().to_string();
  std::vector<uint64_t> unlisted;
  int readable = 0;
  for (RegId id : class_candidates(*rule, facts_of(**vcpu), kMargin)) {
    if (!(*vcpu)->get_reg_bytes(id.raw())) continue;
    ++readable;
    if (std::find(list->begin(), list->end(), id.raw()) == list->end()) unlisted.push_back(id.raw());
  }
  RecordProperty("readable", readable);
  const std::string observed = unlisted.empty() ? "listed" : "unlisted: " + names(**vcpu, unlisted);
  const std::string check_rule = "every register KVM_GET_ONE_REG answers is in KVM_GET_REG_LIST (" + layout.source + ")";
  // A class that hangs on an extension is that extension's check: overrides.yaml can excuse it.
  if (const Extension* ext = rule->when.empty() ? nullptr : context().catalogue().by_name(rule->when)) {
    KVMCT_JUDGE_ISA_EXT(*ext, "reg_list_complete", observed, "listed", check_rule, "");
  } else {
    KVMCT_JUDGE((CheckInput{"reg_list_complete", "", observed, {"listed"}, check_rule}), std::nullopt,
                std::string(to_string(GetParam())), "");
  }
}

INSTANTIATE_TEST_SUITE_P(, RegListComplete, testing::ValuesIn(kClasses), class_test_name);

}  // namespace
}  // namespace kvmct
