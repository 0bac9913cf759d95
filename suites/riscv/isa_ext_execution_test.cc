// SPDX-License-Identifier: MIT
// Execution truth (issue 5): what the ISA_EXT register promises versus what the guest can
// execute. Per extension, the probe of expected/riscv/isa-probes.yaml runs in a fresh guest with the
// register at its default, and again after a disable attempt before the first run: a register
// at 1 must mean the probe executes, a register at 0 that it traps (illegal-instruction).
// Never-disable extensions must refuse the disable and stay executable. Both checks
// (executes_default, executes_disabled) go through the judge; the observations go into the
// JSON per-extension table under "execution".
#include <string>
#include <vector>

#include "guest_support.h"
#include "isa_ext_checks.h"
#include "per_extension_test.h"
#include "probe/probe_list.h"
#include "riscv/expect/isa_probes.h"
#include "riscv/isa_ext_register.h"
#include "riscv/trap_cause.h"
#include "riscv/vcpu_exit.h"

namespace kvmct {
namespace {

const Result<IsaProbes>& probes() {
  static const Result<IsaProbes> table = []() -> Result<IsaProbes> {
    Result<ExpectedFile> f = context().expected_file("isa-probes.yaml");
    if (!f) return f.error();
    return IsaProbes::parse(f->text, f->name, context().catalogue());
  }();
  return table;
}

// What the guest saw: "executed", "vmm-exit", "trap:<cause>" (riscv/trap_cause.h, e.g.
// trap:illegal-instruction), or "mixed" when some steps of a multi-instruction probe trapped
// and others did not.
struct Observation {
  std::string key;
  std::string detail;  // for messages: steps, scause, stval
  bool usable() const { return key == "executed" || key == "vmm-exit"; }
};

// Runs `probe` in a fresh guest after `prepare` (register writes before the first run).
Result<Observation> observe(const std::string& probe, const std::function<void(riscv::GuestVm&)>& prepare) {
  Result<riscv::GuestVm> vm = make_guest_vm("probe");
  if (!vm) return vm.error();
  if (prepare) prepare(*vm);
  char name[KVMCT_PROBE_NAME_MAX] = {};
  if (probe.size() >= sizeof name) return Error{EINVAL, "probe id too long: " + probe};
  probe.copy(name, probe.size());
  if (Status s = vm->set_params({reinterpret_cast<const uint8_t*>(name), sizeof name}); !s) return s.error();
  const GuestRun run = vm->run();
  record_guest_run(run);
  // probe.c prints the probe's name before running it, so even a run cut short shows it.
  if (run.console != probe) return Error{0, "the guest ran probe '" + run.console + "', not '" + probe + "'"};
  // A CSR access KVM forwards to the VMM (the Zkr seed CSR: vcpu_insn.c seed_csr_rmw), which
  // the harness does not emulate, so the run ends at that exit.
  const VcpuResult& hart = run.vcpus.at(0);
  const std::optional<riscv::VcpuExit> exit = hart.exit ? std::optional(riscv::decode_exit(*hart.exit)) : std::nullopt;
  if (const riscv::CsrAccess* csr = exit ? std::get_if<riscv::CsrAccess>(&*exit) : nullptr)
    return Observation{"vmm-exit", "KVM_EXIT_RISCV_CSR for CSR " + hex(csr->csr) +
                                       (csr->csr == riscv::kSeedCsr ? " (seed)" : "")};
  if (!run.clean()) return Error{0, "probe " + probe + " did not finish: " + run.summary()};
  Result<uint64_t> steps = run.require("steps"), executed = run.require("executed");
  if (!steps) return steps.error();
  if (!executed) return executed.error();
  std::string detail = std::to_string(*executed) + " of " + std::to_string(*steps) + " steps executed";
  if (*steps == 0) return Error{0, "probe " + probe + " reported no steps"};
  if (*executed == *steps) return Observation{"executed", detail};
  Result<uint64_t> scause = run.require("scause"), stval = run.require("stval");
  if (!scause) return scause.error();
  if (!stval) return stval.error();
  const std::string cause = riscv::trap_cause_slug(*scause);
  detail += ", first trap scause " + std::to_string(*scause) + " (" + cause + "), stval " + hex(*stval);
  if (*executed == 0) return Observation{"trap:" + cause, detail};
  return Observation{"mixed", detail};
}

// The "execution" object of the extension's JSON record (the probe's registers and
// observations, for the report), written when the case ends however it ends; judging may
// move the record, so no reference into it is kept meanwhile.
class ExecutionRecord {
 public:
  explicit ExecutionRecord(const Extension& ext) : ext_(ext) {}
  ~ExecutionRecord() { context().isa_ext_record(ext_)["execution"] = json_; }
  Json& operator[](const char* key) { return json_[key]; }

 private:
  const Extension& ext_;
  Json json_ = Json::object();
};

// How a failed guest run is observed in a check record.
constexpr const char* kRunFailed = "run-failed";

KVMCT_PER_EXTENSION_TEST(IsaExtExecutes) {
  const Result<IsaProbes>& table = probes();
  ASSERT_TRUE(table) << table.error().to_string();
  const IsaProbe* entry = table->find(ext.name);
  ASSERT_NE(entry, nullptr) << ext.name << " has no entry in expected/riscv/isa-probes.yaml";
  ExecutionRecord rec(ext);
  if (entry->kind != IsaProbe::Kind::Probe) {
    rec["probe"] = entry->kind == IsaProbe::Kind::None ? "none" : "deferred";
    rec["why"] = entry->why;
    KVMCT_SKIP(SkipKind::NotApplicable) << ext.name
                                        << (entry->kind == IsaProbe::Kind::None ? " has no probe: " : " is not probed yet: ")
                                        << entry->why;
  }
  rec["probe"] = entry->probe;
  KVMCT_EXPECTATION(expect, ext);
  if (!expect.host_has) KVMCT_SKIP(SkipKind::Absent) << absence_reason(ext, false);

  // The default run. A register KVM does not have (the kernel predates the id) promises
  // nothing; the observation is recorded for the report and the case skips.
  uint64_t reg = 0;
  Result<Observation> first = observe(entry->probe, [&](riscv::GuestVm& vm) {
    Result<uint64_t> v = riscv::IsaExtRegister(vm.vcpu(0), ext.id).get();
    reg = v ? *v : ~uint64_t{0};
  });
  if (reg == ~uint64_t{0}) {
    ASSERT_TRUE(first) << first.error().to_string();
    rec["no_register_observed"] = first->key;
    KVMCT_SKIP(SkipKind::Absent) << absence_reason(ext, true) << "; without a register the guest's probe "
                                 << entry->probe << " gave: " << first->key << " (" << first->detail << ")";
  }
  const std::string usable = entry->on;
  const std::string hidden = entry->hint ? "executed" : "trap:" + entry->disabled;
  const std::string rule = "expected/riscv/isa-probes.yaml probe " + entry->probe + ": register 1 -> " + usable +
                           ", register 0 -> " + hidden + (entry->hint ? " (a hint executes either way)" : "");
  rec["default_register"] = reg;
  rec["default_observed"] = first ? first->key : kRunFailed;
  KVMCT_JUDGE_ISA_EXT(ext, "executes_default", first ? first->key : kRunFailed, reg == 1 ? usable : hidden, rule,
                      ext.name + " reads " + std::to_string(reg) + " by default; " +
                          (first ? first->detail : first.error().to_string()));
  if (reg != 1) return;

  // Disable before the first run, with what the spec makes depend on it.
  std::vector<std::string> names = {ext.name};
  names.insert(names.end(), entry->disable_also.begin(), entry->disable_also.end());
  std::string refused;
  uint64_t after = 1;
  Result<Observation> second = observe(entry->probe, [&](riscv::GuestVm& vm) {
    for (const std::string& n : names) {
      const Extension* e = context().catalogue().by_name(n);
      Status s = riscv::IsaExtRegister(vm.vcpu(0), e->id).set(0);
      if (!s && n == ext.name) refused = Error::errno_name(s.err());
    }
    Result<uint64_t> now = riscv::IsaExtRegister(vm.vcpu(0), ext.id).get();
    after = now ? *now : 1;
  });
  rec["disable"] = refused.empty() ? "ok" : refused;
  rec["disabled_register"] = after;
  rec["disabled_observed"] = second ? second->key : kRunFailed;
  if (!entry->disable_also.empty()) {
    Json also = Json::array();
    for (const std::string& n : entry->disable_also) also.push_back(n);
    rec["disabled_with"] = also;
  }
  if (!refused.empty() && second)
    testing::Test::RecordProperty("disable_refused", refused + ", the guest still " + (second->usable() ? "executes" : "traps"));
  KVMCT_JUDGE_ISA_EXT(ext, "executes_disabled", second ? second->key : kRunFailed, after == 1 ? usable : hidden, rule,
                      ext.name + " reads " + std::to_string(after) + " after a disable attempt (" +
                          (refused.empty() ? "accepted" : refused) + "); " +
                          (second ? second->detail : second.error().to_string()));
}

}  // namespace
}  // namespace kvmct
