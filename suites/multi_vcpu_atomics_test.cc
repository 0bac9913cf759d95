// SPDX-License-Identifier: MIT
// Atomicity across vCPUs: 2 and 4 harts each add M to shared counters with amoadd.w,
// amoadd.d, LR/SC and an amoswap spinlock around a plain increment (guest-payloads/smp);
// every total must be exact, and the harts must be seen to interleave, or the case proves
// nothing.
#include <gtest/gtest.h>

#include "guest_support.h"

namespace kvmct {
namespace {

constexpr uint64_t kIterations = 20000;

class MultiVcpu : public testing::TestWithParam<unsigned> {};

TEST_P(MultiVcpu, ExactTotals) {
  const unsigned harts = GetParam();
  Result<riscv::GuestVm> vm = make_guest_vm("smp", harts);
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  const uint64_t params[] = {harts, kIterations};
  ASSERT_TRUE(vm->set_params_of(params).ok());
  riscv::RunOptions options;
  options.timeout = std::chrono::seconds(60);
  const riscv::GuestRun run = vm->run(options);
  record_guest_run(run);
  ASSERT_TRUE(run.clean(harts)) << run.summary();

  const uint64_t total = harts * kIterations;
  EXPECT_EQ(run.value("counter_w"), total & 0xffffffff) << "amoadd.w lost or duplicated increments";
  EXPECT_EQ(run.value("counter_d"), total) << "amoadd.d lost or duplicated increments";
  EXPECT_EQ(run.value("counter_lrsc"), total) << "an LR/SC increment succeeded over another hart's store";
  EXPECT_EQ(run.value("counter_plain"), total) << "the amoswap spinlock let two harts in";

  uint64_t gaps = 0, sc_failures = 0, spins = 0;
  for (unsigned h = 0; h < harts; h++) {
    ASSERT_TRUE(run.value("amo_gaps", h) && run.value("sc_failures", h) && run.value("lock_spins", h))
        << "vCPU " << h << " did not report; " << run.summary();
    gaps += *run.value("amo_gaps", h);
    sc_failures += *run.value("sc_failures", h);
    spins += *run.value("lock_spins", h);
  }
  RecordProperty("iterations", std::to_string(kIterations));
  RecordProperty("amo_gaps", std::to_string(gaps));
  RecordProperty("sc_failures", std::to_string(sc_failures));
  RecordProperty("lock_spins", std::to_string(spins));
  EXPECT_GT(gaps + sc_failures + spins, 0u)
      << "the harts never interleaved (no foreign AMO results, failed SCs or lock contention): the totals "
         "prove nothing about atomicity";
}

INSTANTIATE_TEST_SUITE_P(Atomics, MultiVcpu, testing::Values(2u, 4u),
                         [](const testing::TestParamInfo<unsigned>& info) {
                           return info.param == 2 ? std::string("TwoVcpus") : std::string("FourVcpus");
                         });

}  // namespace
}  // namespace kvmct
