// SPDX-License-Identifier: MIT
// Faulting atomics: misaligned AMO/LR/SC in RAM and any access to a guest-physical address
// with no memslot, one case per scenario of guest-payloads/riscv/traps/trap_scenarios.h. Each
// case records what happened (the guest's trap, an MMIO exit, a failing KVM_RUN) and checks it
// against expected/riscv/atomic-traps.yaml; the suite outlives every case.
#include <gtest/gtest.h>

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "check_judge.h"
#include "expect/known_cause.h"
#include "guest_support.h"
#include "riscv/expect/atomic_traps.h"
#include "riscv/guest_abi.h"
#include "riscv/trap_cause.h"
#include "riscv/trap_scenarios.h"
#include "suite_context.h"

namespace kvmct {
namespace {

using riscv::TrapKind;
using riscv::TrapScenario;
using ::kvmct::hex;

const Result<TrapTable>& expectations() {
  static const Result<TrapTable> table = []() -> Result<TrapTable> {
    Result<ExpectedFile> f = context().expected_file("atomic-traps.yaml");
    if (!f) return f.error();
    return TrapTable::parse(f->text, f->name, riscv::trap_scenario_names());
  }();
  return table;
}

// What traps.c reports after the access, all of it: a short report fails the case.
struct TrapReport {
  uint64_t addr, trapped, scause, stval, epc, rd, mem0, mem1;
};

Result<TrapReport> read_report(const GuestRun& run) {
  TrapReport r{};
  const std::pair<const char*, uint64_t*> fields[] = {{"addr", &r.addr}, {"trapped", &r.trapped},
                                                      {"scause", &r.scause}, {"stval", &r.stval},
                                                      {"epc", &r.epc},     {"rd", &r.rd},
                                                      {"mem0", &r.mem0},   {"mem1", &r.mem1}};
  for (const auto& [name, out] : fields) {
    Result<uint64_t> v = run.require(name);
    if (!v) return v.error();
    *out = *v;
  }
  return r;
}

}  // namespace

// Failure messages name the case, not its bytes (found by ADL, so in TrapScenario's namespace).
namespace riscv {
void PrintTo(const TrapScenario& c, std::ostream* os) { *os << c.name; }
}  // namespace riscv

namespace {

constexpr uint64_t kMmioLoadValue = 0x1122334455667788;
constexpr uint64_t kStoredValue = 0x0123456789abcdef;  // what traps.c stores or adds

class AtomicTrap : public testing::TestWithParam<TrapScenario> {};

TEST_P(AtomicTrap, Outcome) {
  const TrapScenario& c = GetParam();
  const auto& table = expectations();
  ASSERT_TRUE(table.ok()) << table.error().to_string();
  // TrapTable::parse() made sure every scenario has its case.
  const TrapExpectation& expect = table->cases.find(c.name)->second;

  Result<riscv::GuestVm> vm = make_guest_vm("traps");
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  const uint64_t params[] = {c.number};
  ASSERT_TRUE(vm->set_params_of(params).ok());
  std::vector<MmioAccess> mmio;
  std::mutex mu;
  RunOptions options;
  options.on_mmio = [&](unsigned, const MmioAccess& access) -> std::optional<uint64_t> {
    std::lock_guard lock(mu);
    mmio.push_back(access);
    return kMmioLoadValue;
  };
  const GuestRun run = vm->run(options);
  record_guest_run(run);

  // What happened, named as in the YAML.
  const VcpuResult& hart = run.vcpus.at(0);
  std::string outcome;
  std::optional<TrapReport> report;
  // traps.c prints the name before the access, so even a failing KVM_RUN shows it.
  ASSERT_EQ(run.console, c.name) << "the guest ran another scenario; " << run.summary();
  if (hart.end == VcpuEnd::RunFailed) {
    outcome = "kvm-run-" + Error::errno_name(hart.run_errno);
  } else {
    ASSERT_TRUE(run.clean()) << run.summary();
    Result<TrapReport> r = read_report(run);
    ASSERT_TRUE(r) << r.error().to_string();
    report = *r;
    if (report->trapped == 1) outcome = riscv::trap_cause_slug(report->scause);
    else if (!mmio.empty()) outcome = "mmio-exit";
    else if (c.kind == TrapKind::Sc && report->rd != 0) outcome = "sc-failed";
    else outcome = "completed";
  }
  RecordProperty("outcome", outcome);
  if (hart.pc) RecordProperty("pc", hex(*hart.pc));

  std::vector<std::string> allowed = expect.allowed;
  const Result<riscv::HostIsa>& host = context().host_isa();
  for (const auto& [ext, more] : expect.allowed_if_host_has)
    if (host && host->has(ext)) allowed.insert(allowed.end(), more.begin(), more.end());

  // A traced bug outside KVM: its exact outcome on its platform is known, not failed; any
  // other outcome there (including a fix) is judged as usual.
  std::optional<KnownCause> cause;
  if (expect.known_bug) {
    const KnownBug& bug = table->bugs.at(expect.known_bug->bug);
    const TrapObservation* pinned = for_kernel(expect.known_bug->outcomes, context().kernel());
    const bool on_platform = ::fnmatch(bug.platform.c_str(), context().platform().c_str(), 0) == 0;
    if (on_platform && pinned && pinned->outcome == outcome)
      cause = KnownCause{bug.owner,
                         expect.known_bug->bug + " on " + context().platform() + " (" + bug.details + "): " + bug.summary,
                         expect.known_bug->where};
  }
  const CheckRecord judged = judge(CheckInput{"outcome", "", outcome, allowed, "allowed by " + expect.where}, cause,
                                   std::string(c.name), run.summary(), __FILE__, __LINE__);
  if (judged.state == CheckState::Fail) return;
  if (judged.state == CheckState::Known) {
    RecordProperty("known_bug", expect.known_bug->bug);
    KVMCT_SKIP(SkipKind::Known) << known_skip_reason(judged, std::string(c.name));
  }

  const TrapObservation* recorded = for_kernel(expect.observed, context().kernel());
  if (recorded)
    EXPECT_EQ(outcome, recorded->outcome) << c.name << " changed from what " << expect.where << " records for "
                                          << recorded->since.to_string() << "+; " << run.summary();
  else
    RecordProperty("unrecorded", "no observation for kernel " + context().release());

  // Whatever the outcome, its details must be coherent.
  if (outcome == "mmio-exit") {
    ASSERT_EQ(mmio.size(), 1u);
    EXPECT_EQ(hex(mmio[0].gpa), hex(KVMCT_UNMAPPED_GPA));
    EXPECT_EQ(mmio[0].is_write, c.kind == TrapKind::Store);
    if (c.kind == TrapKind::Store) {
      EXPECT_EQ(hex(mmio[0].data), hex(kStoredValue));
    }
    if (c.kind == TrapKind::Load && report) {
      EXPECT_EQ(hex(report->rd), hex(kMmioLoadValue)) << "the load did not return the MMIO data";
    }
  }
  if (report && report->trapped == 1) {
    RecordProperty("stval", hex(report->stval));
    RecordProperty("sepc", hex(report->epc));
    // Privileged spec: on an address-misaligned or access-fault exception stval holds the
    // faulting address (or 0 where stval is not written for it).
    EXPECT_TRUE(report->stval == report->addr || report->stval == 0)
        << "stval " << hex(report->stval) << " for an access at " << hex(report->addr) << ", sepc " << hex(report->epc);
    EXPECT_EQ(hex(report->mem0), hex(0x1111111111111111)) << "a trapping access changed memory";
    EXPECT_EQ(hex(report->mem1), hex(0x2222222222222222)) << "a trapping access changed memory";
  }
}

INSTANTIATE_TEST_SUITE_P(Traps, AtomicTrap, testing::ValuesIn(riscv::trap_scenarios().begin(), riscv::trap_scenarios().end()),
                         [](const testing::TestParamInfo<TrapScenario>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace kvmct
