// SPDX-License-Identifier: MIT
// The guest run loop itself: a guest that never finishes ends as a timed-out record naming
// each vCPU's last pc, within the deadline, instead of hanging the suite.
#include <gtest/gtest.h>

#include "guest_support.h"
#include "riscv/guest_abi.h"

namespace kvmct {
namespace {

TEST(GuestRun, HungGuestTimesOut) {
  // The smp payload told to wait for 3 harts on a 2-vCPU VM: hart 0's HSM start of hart 2
  // fails (a guest check failure) and both harts spin at the barrier forever.
  Result<riscv::GuestVm> vm = make_guest_vm("smp", 2);
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  const uint64_t params[] = {3, 1};
  ASSERT_TRUE(vm->set_params_of(params).ok());
  // The deadline leaves time to reach the failing HSM call on a loaded TCG host (a 4-cell run
  // on 2 cores); the bound on stopping is as loose, since this is no timed test.
  RunOptions options;
  options.timeout = std::chrono::seconds(2);
  const GuestRun run = vm->run(options);
  RecordProperty("guest_summary", run.summary());

  EXPECT_TRUE(run.timed_out);
  EXPECT_FALSE(run.clean());
  EXPECT_LT(run.elapsed, options.timeout + std::chrono::seconds(5)) << "stopping the vCPU threads took too long";
  EXPECT_EQ(run.failures.size(), 1u) << "the failed HSM start should be the one guest check failure";
  for (unsigned i = 0; i < 2; i++) {
    EXPECT_EQ(run.vcpus[i].end, VcpuEnd::TimedOut) << "vCPU " << i;
    ASSERT_TRUE(run.vcpus[i].pc.has_value()) << "vCPU " << i;
    EXPECT_GE(*run.vcpus[i].pc, uint64_t{KVMCT_RAM_BASE});
    EXPECT_LT(*run.vcpus[i].pc, uint64_t{KVMCT_RAM_BASE} + KVMCT_IMAGE_MAX) << "the pc is not in the payload";
  }
  EXPECT_NE(run.summary().find("timed out after 2000 ms"), std::string::npos) << run.summary();
}

}  // namespace
}  // namespace kvmct
