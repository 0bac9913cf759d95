// SPDX-License-Identifier: MIT
// A guest that runs and reports: the id_regs payload MRSes every feature ID register at EL1
// and reports it through the MMIO channel; GuestIdReg.<name> holds each value to what
// KVM_GET_ONE_REG returns for the same vCPU after the run (the VM's value, which KVM's TID3
// trap hands the guest). GuestTrap: an UNDEF in the guest is a reported result, not a hang.
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "arm64/feature_id_regs.h"
#include "arm64/guest_abi.h"
#include "arm64/reg_id.h"
#include "check_judge.h"
#include "core/guest_payload.h"
#include "guest_payloads.h"
#include "suite_context.h"
#include "test_record.h"

namespace kvmct::arm64 {
namespace {

// One run of the id_regs payload: what the guest reported and what ONE_REG said afterwards.
struct IdRegRun {
  std::string error;  // why there is no run, "" when it ran
  GuestRun run;
  std::map<std::string, Result<uint64_t>> one_reg;  // after the run, by register name
};

Result<GuestVm> loaded_vm(const char* payload, unsigned vcpus = 1) {
  const GuestPayload* p = find_payload(payload);
  if (!p) return Error{ENOENT, std::string("guest payload '") + payload + "' is not embedded in kvmct-suite"};
  Result<GuestVm> vm = context().fresh_vm(vcpus);
  if (!vm) return vm.error();
  if (Status s = vm->load(*p); !s) return s.error();
  return vm;
}

// Run once for all GuestIdReg cases: every case reads the same guest run.
const IdRegRun& id_reg_run() {
  static const IdRegRun result = [] {
    IdRegRun r;
    Result<GuestVm> vm = loaded_vm("id_regs");
    if (!vm) {
      r.error = vm.error().to_string();
      return r;
    }
    r.run = vm->run();
#define KVMCT_READ_ONE_REG(name, op0, op1, crn, crm, op2) \
  r.one_reg.emplace(#name, vm->vcpu(0).get_reg(sys_reg_id({op0, op1, crn, crm, op2})));
    KVMCT_FEATURE_ID_REGS(KVMCT_READ_ONE_REG)
#undef KVMCT_READ_ONE_REG
    return r;
  }();
  return result;
}

TEST(GuestRun, IdRegsPayloadFinishes) {
  const IdRegRun& r = id_reg_run();
  ASSERT_TRUE(r.error.empty()) << r.error;
  RecordProperty("exits", std::to_string(r.run.vcpus.at(0).exits));
  EXPECT_TRUE(r.run.clean()) << r.run.summary();
  EXPECT_EQ(r.run.reports.size(), size_t{KVMCT_FEATURE_ID_REG_COUNT}) << r.run.summary();
}

class GuestIdRegTest : public testing::Test {
 public:
  GuestIdRegTest(std::string name, SysRegEncoding enc) : name_(std::move(name)), enc_(enc) {}
  void TestBody() override {
    current_test().subject = id_reg_subject(name_, sys_reg_id(enc_));
    const IdRegRun& r = id_reg_run();
    ASSERT_TRUE(r.error.empty()) << r.error;
    Result<uint64_t> guest = r.run.require(name_);
    ASSERT_TRUE(guest) << guest.error().to_string() << "; " << r.run.summary();
    const Result<uint64_t>& host = r.one_reg.at(name_);
    ASSERT_TRUE(host) << host.error().to_string();
    RecordProperty("value", hex(*guest));
    KVMCT_JUDGE((CheckInput{"guest_view", "", hex(*guest), {hex(*host)},
                            "guest MRS " + enc_.generic_name() + " equals KVM_GET_ONE_REG after the run "
                            "(arch/arm64/kvm/sys_regs.c access_id_reg -> read_id_reg)"}),
                std::nullopt, name_, "payload id_regs");
  }

 private:
  std::string name_;
  SysRegEncoding enc_;
};

TEST(GuestTrap, UndefIsReported) {
  Result<GuestVm> vm = loaded_vm("undef");
  ASSERT_TRUE(vm) << vm.error().to_string();
  const GuestRun run = vm->run();
  EXPECT_EQ(run.console, "udf") << run.summary();
  ASSERT_EQ(run.vcpus.at(0).end, VcpuEnd::Trapped) << run.summary();
  ASSERT_TRUE(run.vcpus[0].trap.has_value());
  const GuestTrap& trap = *run.vcpus[0].trap;
  EXPECT_EQ(trap.cause >> 26 & 0x3f, 0u) << "ESR_EL1.EC of UDF is 0 (unknown reason): " << trap.description;
  EXPECT_GE(trap.pc, uint64_t{KVMCT_RAM_BASE}) << trap.description;
  EXPECT_LT(trap.pc, uint64_t{KVMCT_RAM_BASE} + KVMCT_IMAGE_MAX) << "ELR_EL1 is not in the payload: " << trap.description;
  EXPECT_FALSE(run.clean());
  RecordProperty("trap", trap.description);
}

}  // namespace

void register_guest_id_reg_tests() {
#define KVMCT_REGISTER_ID_REG(name, op0, op1, crn, crm, op2)                                           \
  testing::RegisterTest("GuestIdReg", #name, nullptr, #name, __FILE__, __LINE__, []() -> testing::Test* { \
    return new GuestIdRegTest(#name, SysRegEncoding{op0, op1, crn, crm, op2});                        \
  });
  KVMCT_FEATURE_ID_REGS(KVMCT_REGISTER_ID_REG)
#undef KVMCT_REGISTER_ID_REG
}

}  // namespace kvmct::arm64
