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
  RunOptions options;
  options.timeout = std::chrono::seconds(60);
  const GuestRun run = vm->run(options);
  record_guest_run(run);
  EXPECT_TRUE(run.clean(harts)) << run.summary();
  if (!run.clean(harts)) return 0;

  const uint64_t total = harts * iterations;
  // Each value is compared as a Result: a missing report fails with what the guest did report.
  auto expect_total = [&](const char* name, uint64_t want, const char* why) {
    Result<uint64_t> got = run.require(name);
    EXPECT_TRUE(got) << got.error().to_string();
    if (got) EXPECT_EQ(*got, want) << why << ", M = " << iterations;
  };
  expect_total("counter_w", total & 0xffffffff, "amoadd.w lost or duplicated increments");
  expect_total("counter_d", total, "amoadd.d lost or duplicated increments");
  expect_total("counter_lrsc", total, "an LR/SC increment succeeded over another hart's store");
  expect_total("counter_plain", total, "the amoswap spinlock let two harts in");

  uint64_t gaps = 0, sc_failures = 0, spins = 0;
  for (unsigned h = 0; h < harts; h++) {
    Result<uint64_t> g = run.require("amo_gaps", h), f = run.require("sc_failures", h), s = run.require("lock_spins", h);
    for (const Result<uint64_t>* r : {&g, &f, &s}) EXPECT_TRUE(*r) << r->error().to_string() << "; " << run.summary();
    if (!g || !f || !s) return 0;
    gaps += *g;
    sc_failures += *f;
    spins += *s;
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
