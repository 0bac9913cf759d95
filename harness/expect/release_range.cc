// SPDX-License-Identifier: MIT
// Release-range lookup on major.minor.
#include "expect/release_range.h"

namespace kvmct {

RangePick pick_range(const std::vector<ReleaseRange>& ranges, const KernelVersion& kernel) {
  const KernelVersion mm{kernel.major, kernel.minor, 0};
  auto major_minor = [](const KernelVersion& v) { return KernelVersion{v.major, v.minor, 0}; };
  if (ranges.empty() || mm < major_minor(ranges.front().from)) return {RangeMatch::OlderThanAll, 0};
  for (size_t i = 0; i < ranges.size(); ++i)
    if (!(mm < major_minor(ranges[i].from)) && !(major_minor(ranges[i].to) < mm)) return {RangeMatch::Inside, i};
  if (major_minor(ranges.back().to) < mm) return {RangeMatch::NewerThanAll, ranges.size() - 1};
  return {RangeMatch::InGap, 0};
}

}  // namespace kvmct
