// SPDX-License-Identifier: MIT
// Cross-VM isolation of atomics: two VMs of two vCPUs each run one increment loop of
// guest-payloads/riscv/isolation at the same time, on the same guest-physical address in
// their own memory. Every value a guest loads must lie in its own VM's sequence, each VM must
// end with exactly its own total (as its guest reads it and as the host reads its memory), and
// the two VMs must be seen to run at once, or the case proves nothing. One case per op of the
// payload's list: AtomicIsolation.AmoAdd, .LrSc, .Zacas, .Zabha.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "extension_gate.h"
#include "guest_support.h"
#include "riscv/isolation_ops.h"

namespace kvmct {
namespace {

using riscv::IsolationOp;

constexpr unsigned kVms = 2;
constexpr unsigned kHarts = 2;
// Increments per hart and slot, doubled until both VMs are seen mid-run at once and harts
// of a VM contend; a short run can finish inside one host scheduler tick.
constexpr uint64_t kFirstIterations = 100000;
constexpr int kMaxAttempts = 5;
constexpr auto kRunTimeout = std::chrono::seconds(90);
// Shorter than kRunTimeout: a VM waiting for the other must come back before its deadline.
constexpr auto kRendezvousTimeout = std::chrono::seconds(30);

using Slots = std::array<uint64_t, KVMCT_ISOLATION_SLOTS>;

uint64_t slot_gpa(unsigned slot) { return KVMCT_ISOLATION_GPA + slot * KVMCT_ISOLATION_SLOT_BYTES; }

// A counter as the host sees it through the VM's userspace mapping, read while the guest may
// be writing it.
uint64_t host_load(const GuestMemory& memory, unsigned slot, unsigned width) {
  const uint8_t* p = memory.at(slot_gpa(slot), width);
  switch (width) {
    case 1: return __atomic_load_n(p, __ATOMIC_RELAXED);
    case 2: return __atomic_load_n(reinterpret_cast<const uint16_t*>(p), __ATOMIC_RELAXED);
    case 4: return __atomic_load_n(reinterpret_cast<const uint32_t*>(p), __ATOMIC_RELAXED);
    default: return __atomic_load_n(reinterpret_cast<const uint64_t*>(p), __ATOMIC_RELAXED);
  }
}

// Where the two VMs meet through MMIO exits (isolation_ops.h): START answers 1 once both VMs
// are there (0 if the other never came); at the first FINISH the host reads the other VM's
// counters, and a value between its start and its end shows the two VMs ran at once.
class Rendezvous {
 public:
  Rendezvous(std::array<const GuestMemory*, kVms> memories, const IsolationOp& op,
             std::array<Slots, kVms> bases, std::array<Slots, kVms> finals)
      : memories_(memories), op_(op), bases_(bases), finals_(finals) {}

  MmioHandler handler_for(unsigned vm) {
    return [this, vm](unsigned, const MmioAccess& access) { return answer(vm, access); };
  }
  bool overlapped() const { return overlapped_; }
  const std::string& evidence() const { return evidence_; }

 private:
  std::optional<uint64_t> answer(unsigned vm, const MmioAccess& access) {
    if (access.is_write) return std::nullopt;
    std::unique_lock lock(mu_);
    if (access.gpa == KVMCT_ISOLATION_START) {
      arrived_++;
      cv_.notify_all();
      return cv_.wait_for(lock, kRendezvousTimeout, [&] { return arrived_ == kVms; }) ? 1 : 0;
    }
    if (access.gpa == KVMCT_ISOLATION_FINISH) {
      if (finished_++ == 0) snapshot_other(vm);
      return 0;
    }
    return std::nullopt;
  }

  void snapshot_other(unsigned vm) {
    const unsigned other = 1 - vm;
    Slots now{};
    for (unsigned s = 0; s < now.size(); s++) now[s] = host_load(*memories_[other], s, op_.widths[s]);
    overlapped_ = now != bases_[other] && now != finals_[other];
    evidence_ = "when VM " + std::to_string(vm) + " finished, VM " + std::to_string(other) + " held " + hex(now[0]) +
                ", " + hex(now[1]) + " (start " + hex(bases_[other][0]) + ", " + hex(bases_[other][1]) + "; end " +
                hex(finals_[other][0]) + ", " + hex(finals_[other][1]) + ")";
  }

  std::array<const GuestMemory*, kVms> memories_;
  const IsolationOp& op_;
  std::array<Slots, kVms> bases_, finals_;
  std::mutex mu_;
  std::condition_variable cv_;
  unsigned arrived_ = 0, finished_ = 0;
  bool overlapped_ = false;
  std::string evidence_ = "no VM finished";
};

struct Attempt {
  std::optional<Skip> skip;
  bool overlapped = false;
  uint64_t contention = 0;  // summed over both VMs' harts
};

// Checks one VM's run: clean, met the other, only its own values seen, its own totals.
uint64_t check_vm(unsigned vm, const GuestRun& run, const GuestMemory& memory, const IsolationOp& op,
                  const Slots& finals) {
  const std::string who = "VM " + std::to_string(vm) + ": ";
  // clean(1): vCPU 1 may still be on its way to FINISH when vCPU 0 ends the run (it waits
  // only for vCPU 1's loops); its reports are required below, and a trap fails the run anyway.
  EXPECT_TRUE(run.clean(1)) << who << run.summary();
  if (!run.clean(1)) return 0;
  Result<uint64_t> together = run.require("together");
  EXPECT_TRUE(together) << who << together.error().to_string();
  if (together) EXPECT_EQ(*together, 1u) << who << "the other VM never reached its loops: they did not run at once";

  uint64_t contention = 0;
  for (unsigned h = 0; h < kHarts; h++) {
    Result<uint64_t> foreign = run.require("foreign", h), c = run.require("contention", h);
    EXPECT_TRUE(foreign && c) << who << run.summary();
    if (!foreign || !c) return 0;
    contention += *c;
    if (*foreign == 0) continue;
    Result<uint64_t> first = run.require("first_foreign", h);
    const std::string whose =
        !first ? first.error().to_string()
               : hex(*first) + (riscv::isolation_vm_of(*first) == vm
                                 ? ", has this VM's residue but lies past its total: another VM's increments reached its counter"
                                 : ", is in VM " + std::to_string(riscv::isolation_vm_of(*first)) + "'s sequence");
    ADD_FAILURE() << who << "vCPU " << h << " loaded " << *foreign << " values outside its VM's sequence; the first, "
                  << whose;
  }
  Result<std::vector<uint64_t>> guest_finals = run.require_all("final", KVMCT_ISOLATION_SLOTS);
  EXPECT_TRUE(guest_finals) << who << guest_finals.error().to_string();
  if (!guest_finals) return contention;
  for (unsigned s = 0; s < KVMCT_ISOLATION_SLOTS; s++) {
    EXPECT_EQ(hex((*guest_finals)[s]), hex(finals[s]))
        << who << op.name << " slot " << s << " (" << op.widths[s] << " bytes): the guest's final value";
    EXPECT_EQ(hex(host_load(memory, s, op.widths[s])), hex(finals[s]))
        << who << op.name << " slot " << s << ": the VM's memory as the host reads it";
  }
  return contention;
}

Attempt run_pair(const IsolationOp& op, uint64_t iterations) {
  Attempt out;
  std::vector<riscv::GuestVm> vms;
  for (unsigned k = 0; k < kVms; k++) {
    Result<riscv::GuestVm> vm = make_guest_vm("isolation", kHarts);
    EXPECT_TRUE(vm.ok()) << vm.error().to_string();
    if (!vm.ok()) return out;
    if (!op.extension.empty())
      if ((out.skip = extension_unavailable(op.extension, *vm))) return out;
    vms.push_back(std::move(*vm));
  }
  std::array<Slots, kVms> bases{}, finals{};
  for (unsigned k = 0; k < kVms; k++) {
    for (unsigned s = 0; s < KVMCT_ISOLATION_SLOTS; s++) {
      bases[k][s] = riscv::isolation_base(k, op.widths[s]);
      finals[k][s] = riscv::isolation_final(bases[k][s], kHarts * iterations, op.widths[s]);
      // The host starts the counter, so a guest mapped to any page but its VM's own reads a
      // value outside its sequence from the first load on, however the runs are timed.
      const uint64_t le = bases[k][s];
      EXPECT_TRUE(vms[k].memory().write(slot_gpa(s), {reinterpret_cast<const uint8_t*>(&le), op.widths[s]}).ok());
    }
    const uint64_t params[KVMCT_ISOLATION_PARAM_WORDS] = {op.number, kHarts, iterations, riscv::kIsolationStride,
                                                          bases[k][0], bases[k][1]};
    EXPECT_TRUE(vms[k].set_params_of(params).ok());
  }
  Rendezvous meet({&vms[0].memory(), &vms[1].memory()}, op, bases, finals);
  std::array<GuestRun, kVms> runs;
  std::vector<std::thread> threads;
  for (unsigned k = 0; k < kVms; k++)
    threads.emplace_back([&, k] {
      RunOptions options;
      options.timeout = kRunTimeout;
      options.on_mmio = meet.handler_for(k);
      runs[k] = vms[k].run(options);
    });
  for (std::thread& t : threads) t.join();

  for (unsigned k = 0; k < kVms; k++) {
    record_guest_run(runs[k]);
    out.contention += check_vm(k, runs[k], vms[k].memory(), op, finals[k]);
  }
  out.overlapped = meet.overlapped();
  testing::Test::RecordProperty("iterations", std::to_string(iterations));
  testing::Test::RecordProperty("contention", std::to_string(out.contention));
  testing::Test::RecordProperty("overlap", meet.evidence());
  return out;
}

class AtomicIsolation : public testing::Test {
 public:
  explicit AtomicIsolation(const IsolationOp& op) : op_(op) {}
  void TestBody() override {
    if (!op_.extension.empty())
      if (std::optional<Skip> why = host_lacks_extension(op_.extension)) KVMCT_SKIP(why->kind) << why->reason;
    uint64_t iterations = kFirstIterations;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt, iterations *= 2) {
      const Attempt a = run_pair(op_, iterations);
      if (a.skip) KVMCT_SKIP(a.skip->kind) << a.skip->reason;
      if (HasFailure() || (a.overlapped && a.contention > 0)) return;
    }
    ADD_FAILURE() << "in " << kMaxAttempts << " runs up to " << iterations / 2
                  << " increments per vCPU the two VMs were never seen mid-run at once, or their vCPUs never "
                     "contended: the run proves nothing about isolation";
  }

 private:
  const IsolationOp& op_;
};

[[maybe_unused]] const bool registered = [] {
  for (const IsolationOp& op : riscv::isolation_ops()) {
    const std::string name(op.name);
    testing::RegisterTest("AtomicIsolation", name.c_str(), nullptr, name.c_str(), __FILE__, __LINE__,
                          [&op]() -> testing::Test* { return new AtomicIsolation(op); });
  }
  return true;
}();

}  // namespace
}  // namespace kvmct
