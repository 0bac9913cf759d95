// SPDX-License-Identifier: MIT
// KvmCapability.<name>: one case per entry of expected/arm64/capabilities.yaml. KVM_CHECK_EXTENSION
// on /dev/kvm and on a VM fd must both return the value the table derives from the kernel
// version and the host's /proc/cpuinfo features.
#include <gtest/gtest.h>

#include "check_judge.h"
#include "suite_context.h"
#include "test_record.h"

namespace kvmct::arm64 {
namespace {

class CapabilityTest : public testing::Test {
 public:
  explicit CapabilityTest(const CapabilityRule& rule) : rule_(rule) {}
  void TestBody() override {
    current_test().subject = capability_subject(rule_);
    const SuiteContext& ctx = context();
    ASSERT_TRUE(ctx.env().kernel()) << "kernel release '" << ctx.env().release() << "' has no version";
    const Result<HostCpu>& cpu = ctx.host_cpu();
    ASSERT_TRUE(cpu) << cpu.error().to_string();
    const CapabilityExpectation expect = expect_capability(rule_, *ctx.env().kernel(), cpu->features);
    RecordProperty("expected", std::to_string(expect.value));

    Result<KvmSystem> kvm = KvmSystem::open();
    ASSERT_TRUE(kvm) << kvm.error().to_string();
    Result<int> on_system = kvm->check_extension(rule_.id);
    ASSERT_TRUE(on_system) << on_system.error().to_string();
    Result<Vm> vm = kvm->create_vm();
    ASSERT_TRUE(vm) << vm.error().to_string();
    Result<int> on_vm = vm->check_extension(rule_.id);
    ASSERT_TRUE(on_vm) << on_vm.error().to_string();

    const std::string facts = "kernel " + ctx.env().release();
    for (const auto& [check, observed] : {std::pair{"system", *on_system}, std::pair{"vm", *on_vm}}) {
      KVMCT_JUDGE((CheckInput{check, "", std::to_string(observed), {std::to_string(expect.value)}, expect.rule}),
                  std::nullopt, rule_.name, facts);
    }
  }

 private:
  const CapabilityRule& rule_;
};

}  // namespace

void register_capability_tests(const CapabilityTable& table) {
  for (const CapabilityRule& rule : table.rules()) {
    const std::string param = rule.name + " (" + std::to_string(rule.id) + ")";
    testing::RegisterTest("KvmCapability", rule.name.c_str(), nullptr, param.c_str(), __FILE__, __LINE__,
                          [&rule]() -> testing::Test* { return new CapabilityTest(rule); });
  }
}

}  // namespace kvmct::arm64
