// SPDX-License-Identifier: MIT
// IdRegImpId.*: MIDR_EL1, REVIDR_EL1 and AIDR_EL1. Without KVM_CAP_ARM_WRITABLE_IMP_ID_REGS (239,
// 6.15) a different value gets EINVAL and the same one is accepted (6.12: the invariant registers,
// always); the capability can only be enabled before the first vCPU; with it a value inside the
// mask is accepted and seen on every vCPU (VM-scoped), a bit outside it gets EINVAL, and after a
// run a change gets EBUSY (sys_regs.c:set_imp_id_reg).
#include <gtest/gtest.h>

#include "arm64/reg_id.h"
#include "check_judge.h"
#include "id_reg_vm.h"
#include "mask_tables.h"
#include "suite_context.h"

namespace kvmct::arm64 {
namespace {

struct ImpIdReg {
  const char* name;
  SysRegEncoding enc;
};
constexpr ImpIdReg kImpIdRegs[] = {
    {"MIDR_EL1", {3, 0, 0, 0, 0}}, {"REVIDR_EL1", {3, 0, 0, 0, 6}}, {"AIDR_EL1", {3, 1, 0, 0, 7}}};
constexpr uint32_t kCapWritableImpIdRegs = 239;  // KVM_CAP_ARM_WRITABLE_IMP_ID_REGS

const std::string& facts() { return mask_tables().facts; }

#define KVMCT_SKIP_WITHOUT_TABLES()                                                     \
  const MaskTables& t = mask_tables();                                                  \
  if (t.absent) KVMCT_SKIP(t.absent->kind) << t.absent->reason;                         \
  ASSERT_TRUE(t.selection) << t.selection.error().to_string();                          \
  const std::optional<int> cap = t.selection->release.imp_id_cap

class WithoutCapTest : public testing::Test {
 public:
  explicit WithoutCapTest(ImpIdReg reg) : reg_(reg) {}
  void TestBody() override {
    const uint64_t id = sys_reg_id(reg_.enc);
    current_test().subject = id_reg_subject(reg_.name, id);
    KVMCT_SKIP_WITHOUT_TABLES();
    Result<IdRegVm> vm = id_reg_vm(1);
    ASSERT_TRUE(vm) << vm.error().to_string();
    Result<uint64_t> d = vm->vcpus[0].get_reg(id);
    ASSERT_TRUE(d) << d.error().to_string();
    const std::string rule = std::string(reg_.name) + (cap ? " without cap " + std::to_string(*cap) + " (sys_regs.c:set_imp_id_reg)"
                                                           : " invariant before 6.15 (sys_regs.c:set_invariant_sys_reg)");
    KVMCT_JUDGE((CheckInput{"different", "", outcome(vm->vcpus[0].set_reg(id, *d ^ 1)), {"EINVAL"}, rule + ": a change is refused"}),
                std::nullopt, reg_.name, facts());
    KVMCT_JUDGE((CheckInput{"same", "", outcome(vm->vcpus[0].set_reg(id, *d)), {"ok"}, rule + ": its own value is accepted"}),
                std::nullopt, reg_.name, facts());
  }

 private:
  ImpIdReg reg_;
};

TEST(IdRegImpId, CapOnlyBeforeTheFirstVcpu) {
  KVMCT_SKIP_WITHOUT_TABLES();
  Result<IdRegVm> vm = id_reg_vm(1);
  ASSERT_TRUE(vm) << vm.error().to_string();
  Result<int> ext = vm->vm.check_extension(kCapWritableImpIdRegs);
  ASSERT_TRUE(ext) << ext.error().to_string();
  KVMCT_JUDGE((CheckInput{"extension", "", std::to_string(*ext), {cap ? "1" : "0"},
                          "KVM_CHECK_EXTENSION(239) on a VM: 1 since 6.15 (the tables' imp_id_cap)"}),
              std::nullopt, "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS", facts());
  KVMCT_JUDGE((CheckInput{"enable_after_vcpu", "", outcome(vm->vm.enable_cap(kCapWritableImpIdRegs)), {"EINVAL"},
                          "arm.c:kvm_vm_ioctl_enable_cap: only while kvm->created_vcpus is 0 (and unknown before 6.15)"}),
              std::nullopt, "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS", facts());
}

class WithCapTest : public testing::Test {
 public:
  WithCapTest(ImpIdReg reg, IdRegister table) : reg_(reg), table_(std::move(table)) {}
  void TestBody() override {
    const uint64_t id = sys_reg_id(reg_.enc);
    current_test().subject = id_reg_subject(reg_.name, id);
    KVMCT_SKIP_WITHOUT_TABLES();
    ASSERT_TRUE(cap) << "registered only when the release has imp_id_cap";
    Status enabled = Error{0, "not tried"};
    Result<IdRegVm> vm = id_reg_vm(2, [&](Vm& v) {
      enabled = v.enable_cap(static_cast<uint32_t>(*cap));
      return Status(Ok{});
    });
    ASSERT_TRUE(vm) << vm.error().to_string();
    const std::string rule = table_at(table_.line) + " " + reg_.name + " with cap " + std::to_string(*cap) +
                             " (sys_regs.c:set_imp_id_reg), mask " + hex(table_.mask);
    KVMCT_JUDGE((CheckInput{"enable", "", outcome(enabled), {"ok"}, rule + ": enabled before any vCPU"}), std::nullopt,
                reg_.name, facts());
    Result<uint64_t> d = vm->vcpus[0].get_reg(id);
    ASSERT_TRUE(d) << d.error().to_string();
    ASSERT_NE(table_.mask, 0u) << rule;
    const uint64_t w = *d ^ (table_.mask & -table_.mask);  // the mask's lowest bit flipped
    RecordProperty("written", hex(w));
    KVMCT_JUDGE((CheckInput{"in_mask", "", outcome(vm->vcpus[0].set_reg(id, w)), {"ok"}, rule + ": any value inside the mask"}),
                std::nullopt, reg_.name, facts());
    for (unsigned i = 0; i < 2; i++) {
      Result<uint64_t> now = vm->vcpus[i].get_reg(id);
      ASSERT_TRUE(now) << now.error().to_string();
      KVMCT_JUDGE((CheckInput{"vcpu" + std::to_string(i), "", hex(*now), {hex(w)}, rule + ": VM-scoped, seen on every vCPU"}),
                  std::nullopt, reg_.name, facts());
    }
    const uint64_t outside = ~table_.mask;
    if (outside != 0) {
      const uint64_t bit = outside & -outside;  // MIDR_EL1: bit 32
      RecordProperty("outside_bit", hex(bit));
      KVMCT_JUDGE((CheckInput{"outside_mask", "", outcome(vm->vcpus[0].set_reg(id, w | bit)), {"EINVAL"},
                              rule + ": a bit outside the mask is refused"}),
                  std::nullopt, reg_.name, facts());
    }
    ASSERT_EQ(immediate_exit_run(vm->vcpus[0]).err(), EINTR);
    KVMCT_JUDGE((CheckInput{"after_run", "", outcome(vm->vcpus[0].set_reg(id, *d)), {"EBUSY"},
                            rule + ": after the first run a change gets EBUSY"}),
                std::nullopt, reg_.name, facts());
  }

 private:
  ImpIdReg reg_;
  IdRegister table_;
};

}  // namespace

void register_id_reg_imp_id_tests(const IdRegRelease& release) {
  for (const ImpIdReg& r : kImpIdRegs) {
    const std::string name = std::string(r.name) + "_WithoutCap";
    testing::RegisterTest("IdRegImpId", name.c_str(), nullptr, r.name, __FILE__, __LINE__,
                          [r]() -> testing::Test* { return new WithoutCapTest(r); });
  }
  if (!release.imp_id_cap) return;
  for (const ImpIdReg& r : kImpIdRegs) {
    const IdRegister* table = release.reg(r.name);
    if (table == nullptr) continue;
    const std::string name = std::string(r.name) + "_WithCap";
    testing::RegisterTest("IdRegImpId", name.c_str(), nullptr, r.name, __FILE__, __LINE__,
                          [r, reg = *table]() -> testing::Test* { return new WithCapTest(r, reg); });
  }
}

}  // namespace kvmct::arm64
