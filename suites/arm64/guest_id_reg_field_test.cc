// SPDX-License-Identifier: MIT
// GuestIdRegField.<REG>_<FIELD>: what the guest reads, field by field, after userspace wrote new
// safe values. One VM: every feature ID register of feature_id_regs.h the tables give fields gets
// safe_register_write() (every writable field moved to a value KVM must accept) with
// KVM_SET_ONE_REG through vCPU 0, then the id_regs payload MRSes each register on each of the
// two vCPUs and reports it. Checks: `written` (the SET_ONE_REG: ok), `guest_view` (the field
// vCPU 0's guest read = the field written, or what a host-managed filter of the tables gives,
// guest_view.h), `guest_view_vcpu1` (vCPU 1's guest reads the VM-scoped value alike) and
// `default_view` (a second VM that wrote back the reset value unchanged, as a VMM restoring
// saved state does: the guest reads the reset value but for the host-managed fields, so each
// managed field is seen acting).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "arm64/expect/field_probe.h"
#include "arm64/expect/guest_view.h"
#include "arm64/feature_id_regs.h"
#include "arm64/reg_id.h"
#include "check_judge.h"
#include "core/guest_payload.h"
#include "guest_payloads.h"
#include "id_reg_vm.h"
#include "mask_tables.h"
#include "suite_context.h"
#include "test_record.h"

namespace kvmct::arm64 {
namespace {

// vCPU 0 writes, both read: a VM-scoped register reaches every vCPU's guest.
constexpr unsigned kVcpus = 2;

// GuestVm (guest_vm.cc) initialises vCPUs with PSCI 0.2 only and creates no in-kernel irqchip.
GuestViewFacts vm_facts() {
  GuestViewFacts f;
  f.irqchip = false;
  f.sve = false;
  f.nested = false;
  const Result<HostCpu>& host = context().host_cpu();
  if (host && !host->id_registers.empty()) f.host_el0 = host->id_registers;
  return f;
}

// One register of one VM: its reset value, what was written and how KVM took it.
struct WrittenReg {
  Result<uint64_t> limit = Error{0, "not read"};
  RegisterWrite write;
  Status set = Error{0, "not written"};
};

// One VM run of the id_regs payload after the registers were written.
struct ViewRun {
  std::string error;  // why there is no run, "" when it ran
  std::map<std::string, WrittenReg> regs;
  GuestRun run;
};

// The registers of the payload the selected tables give fields (the ones with cases), each
// field's `writable` taken from the selection's mask: a kernel older than a stable change has
// the older mask, and the planner moves only what that mask lets it (field_probe.h).
std::vector<IdRegister> payload_registers(const IdRegRelease& release) {
  std::vector<IdRegister> out;
#define KVMCT_TABLE_REG(name, op0, op1, crn, crm, op2) \
  if (const IdRegister* r = release.reg(#name); r && !r->fields.empty()) out.push_back(*r);
  KVMCT_FEATURE_ID_REGS(KVMCT_TABLE_REG)
#undef KVMCT_TABLE_REG
  for (IdRegister& r : out)
    for (IdRegField& f : r.fields) f.writable = (r.mask & f.mask()) == f.mask();
  return out;
}

// `safe`: write safe_register_write(); else write back the reset value unchanged.
ViewRun view_run(bool safe) {
  ViewRun r;
  const MaskTables& t = mask_tables();
  if (!t.selection) {
    r.error = t.selection.error().to_string();
    return r;
  }
  const GuestPayload* p = find_payload("id_regs");
  if (!p) {
    r.error = "guest payload 'id_regs' is not embedded in kvmct-suite";
    return r;
  }
  Result<GuestVm> vm = context().fresh_vm(kVcpus);
  if (!vm) {
    r.error = vm.error().to_string();
    return r;
  }
  const uint64_t params[] = {kVcpus};
  if (Status s = vm->load(*p); !s) {
    r.error = s.error().to_string();
    return r;
  }
  if (Status s = vm->set_params({reinterpret_cast<const uint8_t*>(params), sizeof params}); !s) {
    r.error = s.error().to_string();
    return r;
  }
  for (const IdRegister& reg : payload_registers(t.selection->release)) {
    WrittenReg& w = r.regs[reg.name];
    w.limit = vm->vcpu(0).get_reg(one_reg_id(reg));
    if (!w.limit) continue;
    w.write = safe ? safe_register_write(reg, *w.limit) : RegisterWrite{*w.limit, {}};
    w.set = vm->vcpu(0).set_reg(one_reg_id(reg), w.write.value);
  }
  r.run = vm->run();
  return r;
}

const ViewRun& safe_run() {
  static const ViewRun r = view_run(true);
  return r;
}
const ViewRun& default_run() {
  static const ViewRun r = view_run(false);
  return r;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "none" : s;
}

class GuestIdRegFieldTest : public testing::Test {
 public:
  GuestIdRegFieldTest(IdRegister reg, IdRegField field) : reg_(std::move(reg)), field_(std::move(field)) {}

  void TestBody() override {
    current_test().subject = id_reg_field_subject(reg_, field_, field_.writable);
    const MaskTables& t = mask_tables();
    if (t.absent) KVMCT_SKIP(t.absent->kind) << t.absent->reason;
    const std::string name = reg_.name + "." + field_.name;
    const std::string where = t.tables.file() + ":" + std::to_string(field_.line);
    const GuestViewFacts facts = vm_facts();

    const ViewRun& safe = safe_run();
    ASSERT_TRUE(safe.error.empty()) << safe.error;
    const WrittenReg& w = safe.regs.at(reg_.name);
    ASSERT_TRUE(w.limit) << w.limit.error().to_string();
    const bool moved = std::find(w.write.moved.begin(), w.write.moved.end(), field_.name) != w.write.moved.end();
    RecordProperty("limit", hex(*w.limit));
    RecordProperty("written", hex(w.write.value));
    RecordProperty("moved", moved ? "true" : "false");
    KVMCT_JUDGE((CheckInput{"written", "", outcome(w.set), {"ok"},
                            "KVM_SET_ONE_REG of " + reg_.name + " with the safe value of every writable field (moved: " +
                                join(w.write.moved) + ") before the first run: arch/arm64/kvm/sys_regs.c set_id_reg -> "
                                "arm64_check_features (" + where + ")"}),
                std::nullopt, name, t.facts);
    if (!w.set) return;  // the guest view of a refused write says nothing more

    const GuestFieldExpectation e = guest_field_expectation(reg_, field_, w.write.value, facts, t.tables.file());
    ASSERT_TRUE(e.error.empty()) << "the guest view of " << name << " cannot be derived: " << e.error;
    if (!e.host_managed.empty()) RecordProperty("host_managed", e.host_managed);
    judge_view("guest_view", safe, e, "written", 0);
    if (HasFatalFailure() || IsSkipped()) return;
    if (reg_.scope == RegScope::Vm) {
      judge_view("guest_view_vcpu1", safe, e, "written through vCPU 0 (VM-scoped)", 1);
      if (HasFatalFailure() || IsSkipped()) return;
    } else {
      RecordProperty("guest_view_vcpu1", "not checked: a per-vCPU register");
    }

    const ViewRun& dflt = default_run();
    ASSERT_TRUE(dflt.error.empty()) << dflt.error;
    const WrittenReg& d = dflt.regs.at(reg_.name);
    ASSERT_TRUE(d.limit) << d.limit.error().to_string();
    ASSERT_TRUE(d.set) << "writing back the reset value: " << d.set.error().to_string();
    const GuestFieldExpectation de = guest_field_expectation(reg_, field_, *d.limit, facts, t.tables.file());
    ASSERT_TRUE(de.error.empty()) << "the default view of " << name << " cannot be derived: " << de.error;
    judge_view("default_view", dflt, de, "the reset value written back", 0);
  }

 private:
  // Judges the field the guest reported in `run` against `e`.
  void judge_view(const char* check, const ViewRun& run, const GuestFieldExpectation& e, const std::string& source,
                  unsigned vcpu) {
    const MaskTables& t = mask_tables();
    const std::string name = reg_.name + "." + field_.name;
    ASSERT_TRUE(run.run.clean()) << run.run.summary();
    Result<uint64_t> guest = run.run.require(reg_.name, vcpu);
    ASSERT_TRUE(guest) << guest.error().to_string() << "; " << run.run.summary();
    const std::string rule =
        e.host_managed.empty()
            ? "the guest's MRS of " + reg_.name + " on vCPU " + std::to_string(vcpu) + " reads the field as " + source +
                  " (arch/arm64/kvm/sys_regs.c access_id_reg -> read_id_reg, trapped by HCR_EL2.TID3)"
            : "host-managed, " + e.host_managed + ": " + e.cite;
    KVMCT_JUDGE((CheckInput{check, "", hex(field_value(field_, *guest)), {hex(e.value)}, rule}), std::nullopt, name,
                t.facts + ", payload id_regs");
  }

  IdRegister reg_;
  IdRegField field_;
};

}  // namespace

void register_guest_id_reg_field_tests() {
  const MaskTables& t = mask_tables();
  const IdRegRelease* release = t.case_release();
  if (release == nullptr) return;  // IdRegMask.TablesCoverKernel fails naming why
  for (const IdRegister& reg : payload_registers(*release))
    for (const IdRegField& f : reg.fields) {
      const std::string name = reg.name + "_" + f.name;
      testing::RegisterTest("GuestIdRegField", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                            [reg, f]() -> testing::Test* { return new GuestIdRegFieldTest(reg, f); });
    }
}

}  // namespace kvmct::arm64
