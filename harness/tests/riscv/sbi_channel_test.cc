// SPDX-License-Identifier: MIT
// The RISC-V SBI channel behind the common GuestChannel interface: an SBI call of the kvmct
// extension decodes into the guest call, any other exit is not the channel's, and an error
// is answered with the SBI error code in a0.
#include <gtest/gtest.h>

#include <cerrno>

#include "riscv/guest_abi.h"
#include "riscv/sbi_channel.h"

namespace kvmct::riscv {
namespace {

kvm_run sbi(uint64_t extension, uint64_t function, std::initializer_list<uint64_t> args) {
  kvm_run run{};
  run.exit_reason = KVM_EXIT_RISCV_SBI;
  run.riscv_sbi.extension_id = extension;
  run.riscv_sbi.function_id = function;
  size_t i = 0;
  for (uint64_t a : args) run.riscv_sbi.args[i++] = a;
  return run;
}

TEST(SbiChannel, DecodesKvmctCallsAndAnswersInA0) {
  Result<GuestMemory> memory = GuestMemory::create(KVMCT_RAM_BASE, 0x10000);
  ASSERT_TRUE(memory) << memory.error().to_string();
  const char name[] = "scause";
  ASSERT_TRUE(memory->write(KVMCT_RAM_BASE + 0x100, {reinterpret_cast<const uint8_t*>(name), sizeof name}));
  const SbiChannel channel;

  kvm_run run = sbi(KVMCT_SBI_EXT, KVMCT_SBI_REPORT, {KVMCT_RAM_BASE + 0x100, 6});
  std::optional<Result<GuestCall>> call = channel.decode(run, *memory);
  ASSERT_TRUE(call && *call);
  const auto* report = std::get_if<GuestReportCall>(&**call);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->name, "scause");
  EXPECT_EQ(report->value, 6u);
  run.riscv_sbi.ret[0] = 99;
  channel.answer(run, *memory, Ok{});
  EXPECT_EQ(static_cast<long>(run.riscv_sbi.ret[0]), KVMCT_SBI_SUCCESS);

  run = sbi(KVMCT_SBI_EXT, KVMCT_SBI_UNEXPECTED_TRAP, {2, KVMCT_RAM_BASE + 8, 0});
  call = channel.decode(run, *memory);
  ASSERT_TRUE(call && *call);
  const auto* trap = std::get_if<GuestTrap>(&**call);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(trap->cause, 2u);
  EXPECT_EQ(trap->pc, KVMCT_RAM_BASE + 8u);

  run = sbi(KVMCT_SBI_EXT, 42, {});
  call = channel.decode(run, *memory);
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->err(), ENOSYS);
  channel.answer(run, *memory, call->error());
  EXPECT_EQ(static_cast<long>(run.riscv_sbi.ret[0]), KVMCT_SBI_ERR_NOT_SUPPORTED);

  EXPECT_EQ(channel.decode(sbi(KVMCT_SBI_EXT, KVMCT_SBI_REPORT, {0x1000, 1}), *memory)->err(), EFAULT);
  EXPECT_FALSE(channel.decode(sbi(0x48534D, 0, {}), *memory)) << "SBI HSM is not the channel's";
  kvm_run mmio{};
  mmio.exit_reason = KVM_EXIT_MMIO;
  EXPECT_FALSE(channel.decode(mmio, *memory)) << "an MMIO exit is not the channel's";
}

}  // namespace
}  // namespace kvmct::riscv
