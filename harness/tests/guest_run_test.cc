// SPDX-License-Identifier: MIT
// Reading a guest run's record: require() turns a short or repeated report into an Error
// naming what the guest did report, so one case fails instead of the suite crashing.
#include <gtest/gtest.h>

#include <cerrno>

#include "core/guest_run.h"

namespace kvmct {
namespace {

GuestRun run_with(std::vector<GuestReport> reports) {
  GuestRun run;
  run.payload = "traps";
  run.reports = std::move(reports);
  run.vcpus.resize(2);
  run.vcpus[0].end = VcpuEnd::Finished;
  return run;
}

TEST(GuestRunRecord, RequireReturnsTheOneValue) {
  const GuestRun run = run_with({{0, "trapped", 1}, {0, "scause", 6}, {1, "scause", 7}});
  Result<uint64_t> scause = run.require("scause");
  ASSERT_TRUE(scause) << scause.error().to_string();
  EXPECT_EQ(*scause, 6u);
  EXPECT_EQ(*run.require("scause", 1), 7u) << "per hart";
}

TEST(GuestRunRecord, RequireOfAMissingValueIsAnError) {
  const GuestRun run = run_with({{0, "trapped", 1}, {0, "addr", 0x40000000}});
  Result<uint64_t> stval = run.require("stval");
  ASSERT_FALSE(stval);
  EXPECT_EQ(stval.err(), ENOENT);
  EXPECT_EQ(stval.error().what,
            "payload traps: vCPU 0 reported 'stval' 0 times, expected 1 (it reported trapped, addr)");
  EXPECT_EQ(run.require("trapped", 1).err(), ENOENT) << "another hart's report does not count";
  EXPECT_NE(run_with({}).require("x").error().what.find("it reported nothing"), std::string::npos);
}

TEST(GuestRunRecord, RequireOfARepeatedValueIsAnError) {
  const GuestRun run = run_with({{0, "rd", 1}, {0, "rd", 2}});
  EXPECT_EQ(run.require("rd").err(), EINVAL);
  Result<std::vector<uint64_t>> both = run.require_all("rd", 2);
  ASSERT_TRUE(both) << both.error().to_string();
  EXPECT_EQ(*both, (std::vector<uint64_t>{1, 2}));
  Result<std::vector<uint64_t>> three = run.require_all("rd", 3);
  ASSERT_FALSE(three) << "a short vector list is an error, not a shorter vector";
  EXPECT_EQ(three.err(), EINVAL);
}

TEST(GuestRunRecord, CleanNeedsHartZeroFinishedAndNoFailure) {
  GuestRun run = run_with({});
  EXPECT_TRUE(run.clean()) << "hart 1 stopped (never powered on) is fine";
  run.vcpus[1].end = VcpuEnd::BadExit;
  EXPECT_FALSE(run.clean());
  run.vcpus[1].end = VcpuEnd::Stopped;
  run.vcpus[0].status = 1;
  EXPECT_FALSE(run.clean());
  run.vcpus[0].status = 0;
  run.failures.push_back("check failed");
  EXPECT_FALSE(run.clean());
}

}  // namespace
}  // namespace kvmct
