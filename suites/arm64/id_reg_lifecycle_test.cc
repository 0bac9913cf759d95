// SPDX-License-Identifier: MIT
// When ID-register writes count:
// - IdRegAfterRun.<REG>: after a KVM_RUN (immediate_exit) a different value gets EBUSY
//   (set_id_reg's kvm_vm_has_ran_once), or EINVAL where a set_<reg> filter runs first, and the same
//   value is accepted;
// - IdRegScope.<REG>: a VM-scoped write through vCPU 0 reads back on vCPU 1; a vCPU-scoped one
//   (CLIDR_EL1, MPIDR_EL1) leaves vCPU 1 alone;
// - IdRegReset.SecondVcpuInitKeepsValues: a second KVM_ARM_VCPU_INIT keeps the written values.
#include <gtest/gtest.h>

#include <memory>

#include "arm64/expect/field_probe.h"
#include "check_judge.h"
#include "id_reg_vm.h"
#include "mask_tables.h"
#include "suite_context.h"

namespace kvmct::arm64 {
namespace {

bool has_whole_filter(const IdRegister& reg, FilterKind kind) {
  for (const IdRegFilter& x : reg.filters)
    if (x.field.empty() && x.kind == kind) return true;
  return false;
}

// A value other than `current` that no set_<reg> filter refuses: a field moved to its safe value,
// else a field changed to its probe's unsafe (rule- or mask-refused, not filter-refused) value.
uint64_t different_value(const IdRegister& reg, uint64_t current) {
  for (const IdRegField& f : reg.fields) {
    const FieldProbe p = probe_field(reg, f, current);
    if (f.writable && p.safe) return with_field(f, current, *p.safe);
  }
  for (const IdRegField& f : reg.fields) {
    const FieldProbe p = probe_field(reg, f, current);
    if (p.unsafe) return with_field(f, current, *p.unsafe);
  }
  return current ^ 1;
}

// The first unconditional refusing filter of the register and a field value it refuses.
struct Refusal {
  const IdRegField* field = nullptr;
  uint64_t value = 0;
  const IdRegFilter* filter = nullptr;
};
std::optional<Refusal> refusal(const IdRegister& reg) {
  for (const IdRegFilter& x : reg.filters) {
    if (!x.when.empty() || x.values.empty()) continue;
    const IdRegField* f = reg.field(x.field);
    if (f == nullptr) continue;
    if (x.kind == FilterKind::RefuseBelow && x.values[0] > 0) return Refusal{f, static_cast<uint64_t>(x.values[0] - 1), &x};
    if (x.kind == FilterKind::RefuseValues) return Refusal{f, static_cast<uint64_t>(x.values[0]), &x};
  }
  return std::nullopt;
}

// One VM, run once, for every IdRegAfterRun case.
Result<IdRegVm>& ran_vm() {
  static Result<IdRegVm> vm = []() -> Result<IdRegVm> {
    Result<IdRegVm> v = id_reg_vm(1);
    if (!v) return v;
    const Status run = immediate_exit_run(v->vcpus[0]);
    if (run.err() != EINTR) return Error{run.err(), "KVM_RUN with immediate_exit: expected EINTR"};
    return v;
  }();
  return vm;
}

class AfterRunTest : public testing::Test {
 public:
  explicit AfterRunTest(IdRegister reg) : reg_(std::move(reg)) {}
  void TestBody() override {
    current_test().subject = id_reg_subject(reg_.name, one_reg_id(reg_));
    std::optional<Skip> skip;
    Result<SelectedRegister> sel = selected(reg_.name, &skip);
    if (skip) KVMCT_SKIP(skip->kind) << skip->reason;
    ASSERT_TRUE(sel) << sel.error().to_string();
    if (aarch32_raz_wi(reg_)) KVMCT_SKIP(SkipKind::NotApplicable) << reg_.name << " is RAZ/WI on this host";
    Result<IdRegVm>& vm = ran_vm();
    ASSERT_TRUE(vm) << vm.error().to_string();
    Vcpu& vcpu = vm->vcpus[0];
    const uint64_t id = one_reg_id(reg_);
    Result<uint64_t> now = vcpu.get_reg(id);
    ASSERT_TRUE(now) << now.error().to_string();
    const std::string at = table_at(reg_.line) + " " + reg_.name + " (set_user " + reg_.set_user + ")";
    const std::string& facts = mask_tables().facts;
    // set_clidr has no kvm_vm_has_ran_once check; set_imp_id_reg refuses a change without cap 239
    // before its EBUSY (the table's order note).
    std::string expected = "EBUSY", why = "set_id_reg: the VM has run (kvm_vm_has_ran_once)";
    if (has_whole_filter(reg_, FilterKind::CustomCheck)) {
      expected = "ok";
      why = "sys_regs.c:set_clidr checks only RES0 and IDC, never kvm_vm_has_ran_once";
    } else if (has_whole_filter(reg_, FilterKind::NeedsCap)) {
      expected = "EINVAL";
      why = "sys_regs.c:set_imp_id_reg: without cap 239 a change is refused before the EBUSY check";
    }
    const uint64_t other = has_whole_filter(reg_, FilterKind::CustomCheck) ? clidr_change(*now) : different_value(reg_, *now);
    RecordProperty("value", hex(*now));
    RecordProperty("different", hex(other));
    KVMCT_JUDGE((CheckInput{"different", "", outcome(vcpu.set_reg(id, other)), {expected}, at + ": " + why}),
                std::nullopt, reg_.name, facts);
    if (expected == "ok") ASSERT_TRUE(vcpu.set_reg(id, *now)) << "cannot write " << reg_.name << " back";
    KVMCT_JUDGE((CheckInput{"same", "", outcome(vcpu.set_reg(id, *now)), {"ok"}, at + ": the value it reads is accepted"}),
                std::nullopt, reg_.name, facts);
    if (std::optional<Refusal> r = refusal(reg_)) {
      const uint64_t bad = with_field(*r->field, *now, r->value);
      KVMCT_JUDGE((CheckInput{"filter_first", "", outcome(vcpu.set_reg(id, bad)), {"EINVAL"},
                              table_at(reg_.line) + " " + reg_.name + "." + r->field->name + " " + hex(r->value) +
                                  ": " + r->filter->cite + " refuses it before set_id_reg's EBUSY"}),
                  std::nullopt, reg_.name, facts);
    }
  }

  // CLIDR_EL1 with LoC (26:24) moved by one, staying non-zero so set_clidr's IDC rule is unaffected.
  static uint64_t clidr_change(uint64_t v) {
    const uint64_t loc = (v >> 24) & 7;
    const uint64_t next = loc < 7 && loc != 0 ? loc + 1 : loc == 7 ? 6 : 1;
    return (v & ~(7ULL << 24)) | (next << 24);
  }

 private:
  IdRegister reg_;
};

// One two-vCPU VM for every IdRegScope case; each case writes its register back on both vCPUs.
std::unique_ptr<IdRegVm>& scope_vm_slot() {
  static std::unique_ptr<IdRegVm> vm;
  return vm;
}
Result<IdRegVm*> scope_vm() {
  std::unique_ptr<IdRegVm>& slot = scope_vm_slot();
  if (!slot) {
    Result<IdRegVm> vm = id_reg_vm(2);
    if (!vm) return vm.error();
    slot = std::make_unique<IdRegVm>(std::move(*vm));
  }
  return slot.get();
}

// Writes the defaults back on both vCPUs and checks them; a VM that does not return is dropped.
struct RestoreScopeOnExit {
  IdRegVm* vm;
  uint64_t id;
  uint64_t d0, d1;
  ~RestoreScopeOnExit() {
    const uint64_t want[2] = {d0, d1};
    for (unsigned i = 0; i < 2; i++) {
      (void)vm->vcpus[i].set_reg(id, want[i]);
      Result<uint64_t> now = vm->vcpus[i].get_reg(id);
      if (!now || *now != want[i]) {
        ADD_FAILURE() << "vCPU " << i << " does not return to " << hex(want[i]);
        scope_vm_slot().reset();
        return;
      }
    }
  }
};

class ScopeTest : public testing::Test {
 public:
  explicit ScopeTest(IdRegister reg) : reg_(std::move(reg)) {}
  void TestBody() override {
    current_test().subject = id_reg_subject(reg_.name, one_reg_id(reg_));
    std::optional<Skip> skip;
    Result<SelectedRegister> sel = selected(reg_.name, &skip);
    if (skip) KVMCT_SKIP(skip->kind) << skip->reason;
    ASSERT_TRUE(sel) << sel.error().to_string();
    Result<IdRegVm*> shared = scope_vm();
    ASSERT_TRUE(shared) << shared.error().to_string();
    IdRegVm* vm = *shared;
    const uint64_t id = one_reg_id(reg_);
    Result<uint64_t> d0 = vm->vcpus[0].get_reg(id);
    // CCSIDR_EL1 has neither .reg nor .get_user: id_to_sys_reg_desc gives ENOENT ("not otherwise
    // accessible"); KVM exposes it through the KVM_REG_ARM_DEMUX ids instead.
    if (reg_.kind == RegKind::NoUserSet && d0.err() == ENOENT)
      KVMCT_SKIP(SkipKind::NotApplicable) << reg_.name << " has no ONE_REG sysreg id (" << d0.error().to_string() << ")";
    Result<uint64_t> d1 = vm->vcpus[1].get_reg(id);
    ASSERT_TRUE(d0) << d0.error().to_string();
    ASSERT_TRUE(d1) << d1.error().to_string();
    RestoreScopeOnExit restore{vm, id, *d0, *d1};
    const bool per_vcpu = reg_.scope == RegScope::Vcpu;
    uint64_t w = 0;
    if (reg_.kind == RegKind::NoUserSet) {
      w = *d0 ^ (1ULL << 8);  // MPIDR_EL1.Aff1 bit 0: a different affinity
    } else if (has_whole_filter(reg_, FilterKind::CustomCheck)) {
      w = AfterRunTest::clidr_change(*d0);
    } else {
      IdRegister r = reg_;
      for (IdRegField& f : r.fields) f.writable = (sel->expected_mask & f.mask()) == f.mask();
      const RegisterWrite rw = safe_register_write(r, *d0);
      if (rw.moved.empty()) KVMCT_SKIP(SkipKind::NotApplicable) << reg_.name << ": no field has a safe value to write";
      w = rw.value;
    }
    const std::string at = table_at(reg_.line) + " " + reg_.name + " scope " + (per_vcpu ? "vcpu" : "vm");
    const std::string& facts = mask_tables().facts;
    RecordProperty("written", hex(w));
    KVMCT_JUDGE((CheckInput{"written", "", outcome(vm->vcpus[0].set_reg(id, w)), {"ok"}, at + ": written through vCPU 0"}),
                std::nullopt, reg_.name, facts);
    Result<uint64_t> on0 = vm->vcpus[0].get_reg(id);
    Result<uint64_t> on1 = vm->vcpus[1].get_reg(id);
    ASSERT_TRUE(on0) << on0.error().to_string();
    ASSERT_TRUE(on1) << on1.error().to_string();
    KVMCT_JUDGE((CheckInput{"read_back", "", hex(*on0), {hex(w)}, at + ": vCPU 0 reads what it wrote"}), std::nullopt,
                reg_.name, facts);
    KVMCT_JUDGE((CheckInput{"other_vcpu", "", hex(*on1), {hex(per_vcpu ? *d1 : w)},
                            at + (per_vcpu ? ": vCPU 1 keeps its own value" : ": vCPU 1 sees the VM's value (is_vm_ftr_id_reg)")}),
                std::nullopt, reg_.name, facts);
  }

 private:
  IdRegister reg_;
};

class ResetTest : public testing::Test {
 public:
  explicit ResetTest(IdRegRelease release) : release_(std::move(release)) {}
  void TestBody() override {
    const MaskTables& t = mask_tables();
    if (t.absent) KVMCT_SKIP(t.absent->kind) << t.absent->reason;
    ASSERT_TRUE(t.selection) << t.selection.error().to_string();
    Result<IdRegVm> vm = id_reg_vm(1);
    ASSERT_TRUE(vm) << vm.error().to_string();
    Vcpu& vcpu = vm->vcpus[0];
    std::vector<std::pair<const IdRegister*, uint64_t>> written;
    std::string refused;
    for (const IdRegister& reg : release_.registers) {
      if (reg.scope != RegScope::Vm || aarch32_raz_wi(reg)) continue;
      std::optional<Skip> skip;
      Result<SelectedRegister> sel = selected(reg.name, &skip);
      ASSERT_TRUE(sel) << sel.error().to_string();
      IdRegister r = reg;
      for (IdRegField& f : r.fields) f.writable = (sel->expected_mask & f.mask()) == f.mask();
      Result<uint64_t> d = vcpu.get_reg(one_reg_id(reg));
      ASSERT_TRUE(d) << d.error().to_string();
      const RegisterWrite w = safe_register_write(r, *d);
      if (w.moved.empty()) continue;
      const Status s = vcpu.set_reg(one_reg_id(reg), w.value);
      if (!s) refused += (refused.empty() ? "" : ", ") + reg.name + " " + hex(w.value) + ": " + outcome(s);
      else written.emplace_back(&reg, w.value);
    }
    const std::string& facts = t.facts;
    const std::string rule = "a VMM writes every VM-scoped register's safe values (field_probe), then resets the vCPU";
    if (!refused.empty()) RecordProperty("refused", refused);
    KVMCT_JUDGE((CheckInput{"written", "", refused.empty() ? "ok" : "refused", {"ok"}, rule}), std::nullopt,
                "SecondVcpuInit", facts);
    ASSERT_TRUE(reinit_vcpu(*vm, 0)) << "second KVM_ARM_VCPU_INIT";
    std::string changed;
    for (const auto& [reg, value] : written) {
      Result<uint64_t> now = vcpu.get_reg(one_reg_id(*reg));
      ASSERT_TRUE(now) << now.error().to_string();
      if (*now != value) changed += (changed.empty() ? "" : ", ") + reg->name + " " + hex(value) + " -> " + hex(*now);
    }
    RecordProperty("registers", std::to_string(written.size()));
    if (!changed.empty()) RecordProperty("changed", changed);
    KVMCT_JUDGE((CheckInput{"kept", "", changed.empty() ? "same" : "changed", {"same"},
                            "kvm_reset_vcpu resets vCPU state; the VM's ID registers (kvm->arch.id_regs) are not reset"}),
                std::nullopt, "SecondVcpuInit", facts);
  }

 private:
  IdRegRelease release_;
};

}  // namespace

void register_id_reg_lifecycle_tests(const IdRegRelease& release) {
  for (const IdRegister& reg : release.registers) {
    if (reg.kind == RegKind::NoUserSet) continue;
    testing::RegisterTest("IdRegAfterRun", reg.name.c_str(), nullptr, reg.name.c_str(), __FILE__, __LINE__,
                          [reg]() -> testing::Test* { return new AfterRunTest(reg); });
  }
  for (const IdRegister& reg : release.registers) {
    const bool writable = reg.mask != 0 && reg.kind != RegKind::ImplementationId && reg.kind != RegKind::Raz;
    if (reg.scope != RegScope::Vcpu && !writable) continue;
    testing::RegisterTest("IdRegScope", reg.name.c_str(), nullptr, reg.name.c_str(), __FILE__, __LINE__,
                          [reg]() -> testing::Test* { return new ScopeTest(reg); });
  }
  testing::RegisterTest("IdRegReset", "SecondVcpuInitKeepsValues", nullptr, nullptr, __FILE__, __LINE__,
                        [release]() -> testing::Test* { return new ResetTest(release); });
}

}  // namespace kvmct::arm64
