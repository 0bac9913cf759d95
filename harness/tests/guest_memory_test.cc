// SPDX-License-Identifier: MIT
// GuestMemory's bounds: what a payload's parameter block may hold, and writes outside RAM.
#include "core/guest_memory.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <vector>

namespace kvmct {
namespace {

constexpr uint64_t kBase = 0x80000000;

TEST(GuestMemory, WriteBlockTakesExactlyItsCapacity) {
  Result<GuestMemory> mem = GuestMemory::create(kBase, 4096);
  ASSERT_TRUE(mem) << mem.error().to_string();
  const std::vector<uint8_t> bytes(16, 0xa5);
  ASSERT_TRUE(mem->write_block(kBase + 64, 16, bytes, "the block"));
  Result<std::string> back = mem->read(kBase + 64, 16);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, std::string(16, '\xa5'));
}

TEST(GuestMemory, WriteBlockRefusesMoreThanFitsAndWritesNothing) {
  Result<GuestMemory> mem = GuestMemory::create(kBase, 4096);
  ASSERT_TRUE(mem) << mem.error().to_string();
  const std::vector<uint8_t> bytes(17, 0xa5);
  Status s = mem->write_block(kBase + 64, 16, bytes, "the block");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().err, E2BIG);
  EXPECT_EQ(s.error().what, "17 bytes exceed the block (16 bytes)");
  EXPECT_EQ(*mem->read(kBase + 64, 1), std::string(1, '\0'));
}

TEST(GuestMemory, WriteOutsideRamIsEfault) {
  Result<GuestMemory> mem = GuestMemory::create(kBase, 4096);
  ASSERT_TRUE(mem) << mem.error().to_string();
  const std::vector<uint8_t> bytes(8, 1);
  Status s = mem->write_block(kBase + 4092, 16, bytes, "the block");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().err, EFAULT);
}

}  // namespace
}  // namespace kvmct
