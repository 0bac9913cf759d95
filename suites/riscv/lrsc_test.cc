// SPDX-License-Identifier: MIT
// Zalrsc in a KVM guest: LR/SC success, failure without a reservation or to another
// address, sign extension of lr.w, the constrained loop, and the .aq/.rl forms. One guest run
// per scenario of guest-payloads/riscv/lrsc/lrsc_scenarios.h; the verdict is computed here
// from the reports.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string_view>
#include <vector>

#include "guest_support.h"
#include "riscv/lrsc_scenarios.h"

namespace kvmct {
namespace {

using ::kvmct::hex;

constexpr uint64_t kLoopIterations = 1000;

// The one value reported under `name`; a missing or repeated report fails the case.
uint64_t only(const GuestRun& run, const char* name) {
  Result<uint64_t> v = run.require(name);
  EXPECT_TRUE(v) << v.error().to_string();
  return v ? *v : ~uint64_t{0};
}

// LR of 0xa5a5a5a5_11111111, SC of 0x01234567_22222222: a .w pair works on the low word only.
void pair_word(const GuestRun& run) {
  EXPECT_EQ(only(run, "lr"), 0x11111111u);
  EXPECT_EQ(only(run, "sc"), 0u) << "SC after LR with nothing in between must be able to succeed";
  EXPECT_EQ(hex(only(run, "mem")), hex(0xa5a5a5a522222222)) << "sc.w stores rs2[31:0] and nothing else";
}
void pair_double(const GuestRun& run) {
  EXPECT_EQ(hex(only(run, "lr")), hex(0xa5a5a5a511111111));
  EXPECT_EQ(only(run, "sc"), 0u);
  EXPECT_EQ(hex(only(run, "mem")), hex(0x0123456722222222));
}

using Check = std::function<void(const GuestRun&)>;

// The verdict of each scenario of guest-payloads/riscv/lrsc/lrsc_scenarios.h, by its name.
const std::map<std::string_view, Check>& checks() {
  static const std::map<std::string_view, Check> all = {
      {"ScSucceedsW", pair_word},
      {"ScSucceedsD", pair_double},
      {"LrAqScRlW", pair_word},
      {"LrAqrlScAqrlW", pair_word},
      {"LrAqScRlD", pair_double},
      {"LrAqrlScAqrlD", pair_double},
      {"ScWithoutReservationW",
       [](const GuestRun& run) {
         EXPECT_NE(only(run, "sc"), 0u) << "SC with no LR since the last SC must fail";
         EXPECT_EQ(hex(only(run, "mem")), hex(0xa5a5a5a511111111)) << "a failed SC stores nothing";
       }},
      {"ScWithoutReservationD",
       [](const GuestRun& run) {
         EXPECT_NE(only(run, "sc"), 0u) << "SC with no LR since the last SC must fail";
         EXPECT_EQ(hex(only(run, "mem")), hex(0xa5a5a5a511111111)) << "a failed SC stores nothing";
       }},
      // The unprivileged spec makes SC fail for another hart's store or an SC in between, not
      // for the same hart's own store: either result is allowed, memory must agree with it.
      {"ScAfterOwnStoreW",
       [](const GuestRun& run) {
         const uint64_t sc = only(run, "sc"), mem = only(run, "mem");
         testing::Test::RecordProperty("sc_after_own_store", sc == 0 ? "succeeded" : "failed");
         EXPECT_EQ(hex(mem), hex(sc == 0 ? 0x22222222 : 0x33333333))
             << "SC returned " << sc << " but memory holds the " << (sc == 0 ? "store's" : "SC's") << " value";
       }},
      {"ScToOtherAddressW",
       [](const GuestRun& run) {
         EXPECT_NE(only(run, "sc"), 0u) << "SC outside the reservation set must fail";
         EXPECT_EQ(hex(only(run, "other")), hex(0x44444444)) << "the failed SC wrote its address";
         EXPECT_EQ(hex(only(run, "mem")), hex(0x11111111));
       }},
      {"LrWSignExtends",
       [](const GuestRun& run) {
         const std::vector<uint64_t> want = {0xffffffff80000000, 0xffffffffffffffff, 0x7fffffff, 0x1};
         KVMCT_REQUIRE_REPORTS(got, run, "lr", want.size());
         for (size_t i = 0; i < want.size(); i++) EXPECT_EQ(hex(got[i]), hex(want[i])) << "lr.w #" << i;
       }},
      {"ConstrainedLoopD",
       [](const GuestRun& run) {
         EXPECT_EQ(only(run, "mem"), kLoopIterations) << "every LR/SC increment must eventually succeed";
         testing::Test::RecordProperty("sc_retries", std::to_string(only(run, "retries")));
       }},
  };
  return all;
}

}  // namespace

// Failure messages name the case, not its bytes (found by ADL, so in LrscScenario's namespace).
namespace riscv {
void PrintTo(const LrscScenario& c, std::ostream* os) { *os << c.name; }
}  // namespace riscv

namespace {

class LrSc : public testing::TestWithParam<riscv::LrscScenario> {};

TEST_P(LrSc, Behaves) {
  const riscv::LrscScenario& c = GetParam();
  const auto check = checks().find(c.name);
  ASSERT_NE(check, checks().end()) << "suites/riscv/lrsc_test.cc has no check for scenario " << c.name;
  Result<riscv::GuestVm> vm = make_guest_vm("lrsc");
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  const uint64_t params[] = {c.number, kLoopIterations};
  ASSERT_TRUE(vm->set_params_of(params).ok());
  const GuestRun run = vm->run();
  record_guest_run(run);
  ASSERT_TRUE(run.clean()) << run.summary();
  ASSERT_EQ(run.console, c.name) << "the guest ran another scenario";
  check->second(run);
}

INSTANTIATE_TEST_SUITE_P(Zalrsc, LrSc, testing::ValuesIn(riscv::lrsc_scenarios().begin(), riscv::lrsc_scenarios().end()),
                         [](const testing::TestParamInfo<riscv::LrscScenario>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace kvmct
