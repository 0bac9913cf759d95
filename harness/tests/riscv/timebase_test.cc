// SPDX-License-Identifier: MIT
// The host's timebase-frequency (the atomics bench's tick rate) from device trees built here.
#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

#include <optional>
#include <vector>

#include "riscv/timebase.h"

namespace kvmct::riscv {
namespace {

// A tree whose /cpus has `cells` as its timebase-frequency (none when nullopt).
std::vector<char> tree(std::optional<std::vector<uint8_t>> cells, bool with_cpus = true) {
  std::vector<char> buf(4096);
  void* fdt = buf.data();
  fdt_create(fdt, static_cast<int>(buf.size()));
  fdt_finish_reservemap(fdt);
  fdt_begin_node(fdt, "");
  if (with_cpus) {
    fdt_begin_node(fdt, "cpus");
    if (cells) fdt_property(fdt, "timebase-frequency", cells->data(), static_cast<int>(cells->size()));
    fdt_end_node(fdt);
  }
  fdt_end_node(fdt);
  fdt_finish(fdt);
  return buf;
}

TEST(Timebase, ReadsA32BitCell) {
  auto blob = tree(std::vector<uint8_t>{0x00, 0x98, 0x96, 0x80});  // QEMU virt: 10 MHz
  Result<uint64_t> hz = timebase_hz_from_fdt(blob.data(), blob.size());
  ASSERT_TRUE(hz) << hz.error().to_string();
  EXPECT_EQ(*hz, 10'000'000u);
}

TEST(Timebase, ReadsA64BitCell) {
  auto blob = tree(std::vector<uint8_t>{0, 0, 0, 0x01, 0, 0, 0, 0});
  Result<uint64_t> hz = timebase_hz_from_fdt(blob.data(), blob.size());
  ASSERT_TRUE(hz) << hz.error().to_string();
  EXPECT_EQ(*hz, uint64_t{1} << 32);
}

TEST(Timebase, RefusesWhatCannotBeARate) {
  for (const auto& [blob, why] : {std::pair{tree(std::nullopt), "no timebase-frequency"},
                                  std::pair{tree(std::vector<uint8_t>{1, 2}), "16-bit"},
                                  std::pair{tree(std::vector<uint8_t>{0, 0, 0, 0}), "zero"},
                                  std::pair{tree(std::nullopt, false), "no /cpus"}}) {
    EXPECT_FALSE(timebase_hz_from_fdt(blob.data(), blob.size())) << why;
  }
  const char junk[64] = {};
  EXPECT_FALSE(timebase_hz_from_fdt(junk, sizeof junk));
}

}  // namespace
}  // namespace kvmct::riscv
