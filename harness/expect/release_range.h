// SPDX-License-Identifier: MIT
// Which of a table's release ranges holds a kernel: shared by the riscv policy and the arm64
// ID-register tables, which each word their own errors around the answer.
#pragma once

#include <cstddef>
#include <vector>

#include "expect/kernel_version.h"

namespace kvmct {

// major.minor `from` .. `to`, both inclusive (patch ignored).
struct ReleaseRange {
  KernelVersion from;
  KernelVersion to;
};

enum class RangeMatch { Inside, NewerThanAll, OlderThanAll, InGap };

struct RangePick {
  RangeMatch match = RangeMatch::InGap;
  size_t index = 0;  // Inside: the range; NewerThanAll: the newest (last); else unset
};

// `ranges` ascending and disjoint, non-empty. A kernel above the last range picks the last one.
RangePick pick_range(const std::vector<ReleaseRange>& ranges, const KernelVersion& kernel);

}  // namespace kvmct
