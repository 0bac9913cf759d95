// SPDX-License-Identifier: MIT
// The arm64 MMIO channel: a store of a call block's address to KVMCT_CHANNEL_GPA decodes into
// the guest call, anything else is not the channel's, and errors are answered into the block.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "arm64/guest_abi.h"
#include "arm64/mmio_channel.h"

namespace kvmct::arm64 {
namespace {

constexpr uint64_t kBlock = KVMCT_RAM_BASE + 0x2000;
constexpr uint64_t kName = KVMCT_RAM_BASE + 0x3000;

class MmioChannelTest : public testing::Test {
 protected:
  void SetUp() override {
    Result<GuestMemory> m = GuestMemory::create(KVMCT_RAM_BASE, 0x10000);
    ASSERT_TRUE(m) << m.error().to_string();
    memory_.emplace(std::move(*m));
  }
  void write_block(uint64_t function, std::initializer_list<uint64_t> args) {
    uint64_t words[KVMCT_CALL_SIZE / 8] = {function};
    size_t i = 1;
    for (uint64_t a : args) words[i++] = a;
    ASSERT_TRUE(memory_->write(kBlock, {reinterpret_cast<const uint8_t*>(words), sizeof words}));
  }
  kvm_run store(uint64_t gpa, uint64_t value, uint32_t len = 8, bool is_write = true) {
    kvm_run run{};
    run.exit_reason = KVM_EXIT_MMIO;
    run.mmio.phys_addr = gpa;
    run.mmio.len = len;
    run.mmio.is_write = is_write;
    std::memcpy(run.mmio.data, &value, sizeof value);
    return run;
  }
  int64_t status() const {
    int64_t s = 0;
    std::memcpy(&s, memory_->at(kBlock + KVMCT_CALL_STATUS_OFFSET, 8), 8);
    return s;
  }
  std::optional<GuestMemory> memory_;
  MmioChannel channel_;
};

TEST_F(MmioChannelTest, ReportDecodesFromTheBlock) {
  const char name[] = "ID_AA64ISAR0_EL1";
  ASSERT_TRUE(memory_->write(kName, {reinterpret_cast<const uint8_t*>(name), sizeof name}));
  write_block(KVMCT_CALL_REPORT, {kName, 0x1234});
  kvm_run run = store(KVMCT_CHANNEL_GPA, kBlock);
  std::optional<Result<GuestCall>> call = channel_.decode(run, *memory_);
  ASSERT_TRUE(call.has_value());
  ASSERT_TRUE(*call) << call->error().to_string();
  const auto* report = std::get_if<GuestReportCall>(&**call);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->name, "ID_AA64ISAR0_EL1");
  EXPECT_EQ(report->value, 0x1234u);
  write_block(KVMCT_CALL_REPORT, {kName, 0x1234});  // status word back to a non-zero guess
  std::memset(memory_->at(kBlock + KVMCT_CALL_STATUS_OFFSET, 8), 0xff, 8);
  channel_.answer(run, *memory_, Ok{});
  EXPECT_EQ(status(), KVMCT_CALL_SUCCESS);
}

TEST_F(MmioChannelTest, TrapAndFinishCarryTheirValues) {
  write_block(KVMCT_CALL_UNEXPECTED_TRAP, {0x02000000, KVMCT_RAM_BASE + 0x40, 0, 0x200});
  std::optional<Result<GuestCall>> call = channel_.decode(store(KVMCT_CHANNEL_GPA, kBlock), *memory_);
  ASSERT_TRUE(call && *call);
  const auto* trap = std::get_if<GuestTrap>(&**call);
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(trap->cause, 0x02000000u);
  EXPECT_EQ(trap->pc, KVMCT_RAM_BASE + 0x40u);
  EXPECT_EQ(trap->description, "ESR 0x2000000 (unknown reason) at ELR 0x80000040, FAR 0x0, vector 0x200");
  write_block(KVMCT_CALL_FINISH, {static_cast<uint64_t>(-3)});
  call = channel_.decode(store(KVMCT_CHANNEL_GPA, kBlock), *memory_);
  ASSERT_TRUE(call && *call);
  ASSERT_NE(std::get_if<GuestFinish>(&**call), nullptr);
  EXPECT_EQ(std::get<GuestFinish>(**call).status, -3);
}

TEST_F(MmioChannelTest, OtherExitsAreNotTheChannels) {
  write_block(KVMCT_CALL_FINISH, {0});
  EXPECT_FALSE(channel_.decode(store(KVMCT_UNMAPPED_GPA, kBlock), *memory_)) << "another address";
  kvm_run other = store(KVMCT_CHANNEL_GPA, kBlock);
  other.exit_reason = KVM_EXIT_SYSTEM_EVENT;
  EXPECT_FALSE(channel_.decode(other, *memory_)) << "not an MMIO exit";
}

TEST_F(MmioChannelTest, MisuseIsAnErrorAnsweredIntoTheBlock) {
  write_block(99, {});
  kvm_run run = store(KVMCT_CHANNEL_GPA, kBlock);
  std::optional<Result<GuestCall>> call = channel_.decode(run, *memory_);
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->err(), ENOSYS);
  channel_.answer(run, *memory_, call->error());
  EXPECT_EQ(status(), KVMCT_CALL_ERR_NOT_SUPPORTED);

  EXPECT_EQ(channel_.decode(store(KVMCT_CHANNEL_GPA, kBlock, 4), *memory_)->err(), EINVAL) << "a 4-byte store";
  EXPECT_EQ(channel_.decode(store(KVMCT_CHANNEL_GPA, kBlock, 8, false), *memory_)->err(), EINVAL) << "a load";
  EXPECT_EQ(channel_.decode(store(KVMCT_CHANNEL_GPA, kBlock + 4), *memory_)->err(), EFAULT) << "misaligned block";
  EXPECT_EQ(channel_.decode(store(KVMCT_CHANNEL_GPA, 0x1000), *memory_)->err(), EFAULT) << "block outside RAM";
  write_block(KVMCT_CALL_REPORT, {0x1000, 1});
  EXPECT_EQ(channel_.decode(store(KVMCT_CHANNEL_GPA, kBlock), *memory_)->err(), EFAULT) << "name outside RAM";
  write_block(KVMCT_CALL_PUTS, {kName, KVMCT_PUTS_MAX + 1});
  run = store(KVMCT_CHANNEL_GPA, kBlock);
  call = channel_.decode(run, *memory_);
  EXPECT_EQ(call->err(), EINVAL) << "PUTS too long";
  channel_.answer(run, *memory_, call->error());
  EXPECT_EQ(status(), KVMCT_CALL_ERR_INVALID_PARAM);
}

TEST(Arm64Trap, ExceptionClassesHaveNames) {
  EXPECT_EQ(exception_class_name(0x00), "unknown reason");
  EXPECT_EQ(exception_class_name(0x25), "data abort, same EL");
  EXPECT_EQ(exception_class_name(0x3f), "exception class 0x3f");
}

}  // namespace
}  // namespace kvmct::arm64
