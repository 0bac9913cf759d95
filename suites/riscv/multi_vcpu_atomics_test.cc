// SPDX-License-Identifier: MIT
// Atomicity across vCPUs: 2 and 4 harts each add M to shared counters with amoadd.w,
// amoadd.d, LR/SC and an amoswap spinlock around a plain increment (guest-payloads/riscv/smp);
// every total must be exact, and the harts must be seen to interleave, or the case proves
// nothing.
#include <gtest/gtest.h>

#include "guest_support.h"

namespace kvmct {
namespace {

// Starting M per hart, doubled until the harts are seen to interleave: with 4 vCPUs on a
// 2-hart emulated host a short run can finish inside one scheduler tick, one vCPU at a time.
constexpr uint64_t kFirstIterations = 20000;
constexpr int kMaxAttempts = 5;

class MultiVcpu : public testing::TestWithParam<unsigned> {};

// Runs the smp payload once; returns the interleaving evidence (foreign AMO results +
// failed SCs + lock spins), after checking every total is exact.
uint64_t run_and_check(unsigned harts, uint64_t iterations) {
  Result<riscv::GuestVm> vm = make_guest_vm("smp", harts);
  EXPECT_TRUE(vm.ok()) << vm.error().to_string();
  if (!vm.ok()) return 0;
  const uint64_t params[] = {harts, iterations};
  EXPECT_TRUE(vm->set_params_of(params).ok());
  riscv::RunOptions options;
  options.timeout = std::chrono::seconds(60);
  const riscv::GuestRun run = vm->run(options);
  record_guest_run(run);
  EXPECT_TRUE(run.clean(harts)) << run.summary();
  if (!run.clean(harts)) return 0;

  const uint64_t total = harts * iterations;
  EXPECT_EQ(run.value("counter_w"), total & 0xffffffff) << "amoadd.w lost or duplicated increments, M = " << iterations;
  EXPECT_EQ(run.value("counter_d"), total) << "amoadd.d lost or duplicated increments, M = " << iterations;
  EXPECT_EQ(run.value("counter_lrsc"), total) << "an LR/SC increment succeeded over another hart's store, M = " << iterations;
  EXPECT_EQ(run.value("counter_plain"), total) << "the amoswap spinlock let two harts in, M = " << iterations;

  uint64_t gaps = 0, sc_failures = 0, spins = 0;
  for (unsigned h = 0; h < harts; h++) {
    const bool reported = run.value("amo_gaps", h) && run.value("sc_failures", h) && run.value("lock_spins", h);
    EXPECT_TRUE(reported) << "vCPU " << h << " did not report; " << run.summary();
    if (!reported) return 0;
    gaps += *run.value("amo_gaps", h);
    sc_failures += *run.value("sc_failures", h);
    spins += *run.value("lock_spins", h);
  }
  testing::Test::RecordProperty("iterations", std::to_string(iterations));
  testing::Test::RecordProperty("amo_gaps", std::to_string(gaps));
  testing::Test::RecordProperty("sc_failures", std::to_string(sc_failures));
  testing::Test::RecordProperty("lock_spins", std::to_string(spins));
  return gaps + sc_failures + spins;
}

TEST_P(MultiVcpu, ExactTotals) {
  const unsigned harts = GetParam();
  uint64_t iterations = kFirstIterations;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt, iterations *= 2) {
    const uint64_t evidence = run_and_check(harts, iterations);
    if (HasFailure()) return;
    if (evidence > 0) return;
  }
  ADD_FAILURE() << "the harts never interleaved in " << kMaxAttempts << " runs up to M = " << iterations / 2
                << " (no foreign AMO results, failed SCs or lock contention): the totals prove nothing about atomicity";
}

INSTANTIATE_TEST_SUITE_P(Atomics, MultiVcpu, testing::Values(2u, 4u),
                         [](const testing::TestParamInfo<unsigned>& info) {
                           return info.param == 2 ? std::string("TwoVcpus") : std::string("FourVcpus");
                         });

}  // namespace
}  // namespace kvmct
