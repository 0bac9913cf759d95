// SPDX-License-Identifier: MIT
// The ISA a vCPU advertises (ISA_EXT registers plus CONFIG isa) must be one a real hart could
// have: every rule of expected/riscv/isa-dependencies.yaml holds after vCPU creation, after
// every disable KVM accepts (SINGLE, one case per extension), after one MULTI_DIS of
// everything, after re-enabling one extension on top of that, and after clearing CONFIG isa. A broken rule is a failure naming the rule, or
// a known deviation of overrides.yaml (check `dependency`, on the extension left on).
#include <gtest/gtest.h>

#include <sstream>

#include "isa_ext_checks.h"
#include "per_extension_test.h"
#include "riscv/expect/isa_dependencies.h"

namespace kvmct {
namespace {

using riscv::ConfigReg;
using riscv::RegId;

constexpr uint64_t kIsaId = RegId::config(ConfigReg::Isa).raw();

const Result<Dependencies>& dependencies() {
  static const Result<Dependencies> d = []() -> Result<Dependencies> {
    Result<ExpectedFile> f = context().expected_file("isa-dependencies.yaml");
    if (!f) return f.error();
    return Dependencies::parse(f->text, f->name, context().catalogue());
  }();
  return d;
}

// Name -> on for every extension this vCPU has a register for; a letter is on when its
// ISA_EXT register or its CONFIG isa bit says so: either tells the guest it has it.
std::map<std::string, bool> advertised(Vcpu& vcpu) {
  std::map<std::string, bool> out;
  Result<uint64_t> isa = vcpu.get_reg(kIsaId);
  for (const Extension& ext : context().catalogue().extensions()) {
    Result<uint64_t> v = riscv::IsaExtRegister(vcpu, ext.id).get();
    if (!v) continue;
    const bool letter_on = ext.letter && isa && (*isa >> (*ext.letter - 'a') & 1);
    out[ext.name] = *v == 1 || letter_on;
  }
  return out;
}

// Judges every rule against the vCPU's advertised set; `after` says what was just done.
// Fails for an unexcused break, else ends the case as a known SKIP listing every finding.
void check_advertised(Vcpu& vcpu, const std::string& after) {
  const Result<Dependencies>& deps = dependencies();
  ASSERT_TRUE(deps) << deps.error().to_string();
  std::vector<std::string> known;
  int rules = 0;
  for (const DependencyViolation& v : deps->violations(advertised(vcpu))) {
    const Extension* ext = context().catalogue().by_name(v.rule->extension);
    if (!ext) continue;  // the loader checked every name against this catalogue
    ++rules;
    const std::string rule = v.rule_name() + " (" + v.rule->source + "; manual: " + v.rule->manual + ")";
    const CheckRecord r = judge_isa_ext(*ext, "dependency", v.missing + "=0", v.missing + "=1", rule,
                                        "after " + after, __FILE__, __LINE__);
    if (r.state == CheckState::Known) known.push_back(known_skip_reason(r, ext->name));
  }
  testing::Test::RecordProperty("broken_rules", rules);
  if (!known.empty() && !testing::Test::HasFailure()) {
    std::ostringstream all;
    for (size_t i = 0; i < known.size(); i++) all << (i ? " | " : "") << known[i];
    KVMCT_SKIP(SkipKind::Known) << all.str();
  }
}

TEST(IsaDependency, AfterCreation) {
  KVMCT_FRESH_VM(vm, 1);
  check_advertised(vm.vcpu(0), "vCPU creation");
}

// One case per extension: disable it alone through SINGLE; where KVM accepts, the ISA left
// must still be valid.
KVMCT_PER_EXTENSION_TEST(IsaDependencyAfterDisable) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  riscv::IsaExtRegister reg(vcpu, ext.id);
  Result<uint64_t> before = reg.get();
  if (!before) KVMCT_SKIP(SkipKind::Absent) << absence_reason(ext, expect.host_has);
  if (*before == 0) KVMCT_SKIP(SkipKind::NotApplicable) << ext.name << " is off at vCPU creation: nothing to disable";
  if (Status s = reg.set(0); !s)
    KVMCT_SKIP(SkipKind::NotApplicable) << "KVM refuses to disable " << ext.name << " (" << outcome(s) << "): the ISA stays as created";
  check_advertised(vcpu, "SINGLE disable of " + ext.name);
}

// One MULTI_DIS per word with every bit that is on: KVM disables what it allows.
void disable_everything(Vcpu& vcpu) {
  std::map<uint32_t, uint64_t> words;
  for (const auto& [id, value] : present_values(vcpu))
    if (value) words[riscv::multi_word(id)] |= riscv::multi_bit(id);
  for (const auto& [word, bits] : words) {
    Status s = vcpu.set_reg(RegId::isa_multi_dis(word).raw(), bits);
    testing::Test::RecordProperty("multi_dis_" + std::to_string(word), outcome(s));
  }
}

TEST(IsaDependency, AfterMultiDisable) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  disable_everything(vcpu);
  check_advertised(vcpu, "MULTI_DIS of every enabled extension");
}

// One case per extension: everything KVM lets go is disabled (MULTI_DIS), then this one alone
// is enabled again through SINGLE: an enable must not bring back an extension without its base.
KVMCT_PER_EXTENSION_TEST(IsaDependencyAfterEnable) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  riscv::IsaExtRegister reg(vcpu, ext.id);
  Result<uint64_t> before = reg.get();
  if (!before) KVMCT_SKIP(SkipKind::Absent) << absence_reason(ext, expect.host_has);
  disable_everything(vcpu);
  Result<uint64_t> after_disable = reg.get();
  if (!after_disable || *after_disable == 1)
    KVMCT_SKIP(SkipKind::NotApplicable) << "KVM keeps " << ext.name << " on when everything is disabled: nothing to enable";
  if (Status s = reg.set(1); !s)
    KVMCT_SKIP(SkipKind::NotApplicable) << "KVM refuses to enable " << ext.name << " (" << outcome(s) << ")";
  check_advertised(vcpu, "MULTI_DIS of everything, then SINGLE enable of " + ext.name);
}

// CONFIG isa written with no letters: KVM keeps the letters it cannot hide and drops the rest.
TEST(IsaDependency, AfterConfigIsaCleared) {
  KVMCT_FRESH_VM(vm, 1);
  Vcpu& vcpu = vm.vcpu(0);
  Status s = vcpu.set_reg(kIsaId, 0);
  RecordProperty("config_isa_write", outcome(s));
  check_advertised(vcpu, "CONFIG isa = 0 (" + outcome(s) + ")");
}

}  // namespace
}  // namespace kvmct
