// SPDX-License-Identifier: MIT
// The common release-range lookup: inside, between, above and below the ranges.
#include <gtest/gtest.h>

#include "expect/release_range.h"

namespace kvmct {
namespace {

KernelVersion v(const char* s) { return *KernelVersion::parse(s); }

const std::vector<ReleaseRange> kRanges = {{v("6.7"), v("6.9")}, {v("6.12"), v("6.12")}, {v("7.2"), v("7.2")}};

TEST(ReleaseRange, InsideARangeIgnoresThePatch) {
  EXPECT_EQ(pick_range(kRanges, v("6.8.3")).match, RangeMatch::Inside);
  EXPECT_EQ(pick_range(kRanges, v("6.8.3")).index, 0u);
  EXPECT_EQ(pick_range(kRanges, v("6.9.99")).index, 0u) << "until is inclusive";
  EXPECT_EQ(pick_range(kRanges, v("6.12.117")).index, 1u);
  EXPECT_EQ(pick_range(kRanges, v("7.2.13")).index, 2u);
}

TEST(ReleaseRange, BetweenRangesIsAGap) {
  EXPECT_EQ(pick_range(kRanges, v("6.10")).match, RangeMatch::InGap);
  EXPECT_EQ(pick_range(kRanges, v("7.1.2")).match, RangeMatch::InGap);
}

TEST(ReleaseRange, AboveTheNewestPicksTheNewest) {
  const RangePick p = pick_range(kRanges, v("7.3.1"));
  EXPECT_EQ(p.match, RangeMatch::NewerThanAll);
  EXPECT_EQ(p.index, 2u);
}

TEST(ReleaseRange, BelowTheOldestIsOlder) {
  EXPECT_EQ(pick_range(kRanges, v("6.6.50")).match, RangeMatch::OlderThanAll);
  EXPECT_EQ(pick_range({}, v("6.6")).match, RangeMatch::OlderThanAll);
}

}  // namespace
}  // namespace kvmct
