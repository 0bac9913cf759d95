// SPDX-License-Identifier: MIT
// expected/riscv/atomic-traps.yaml: per scenario of the traps payload, the outcomes the spec
// allows, what this suite observed per kernel, and known bugs outside KVM that pin an outcome
// on a platform (suites/riscv/atomic_traps_test.cc).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "expect/kernel_version.h"
#include "expect/known_cause.h"

namespace kvmct {

struct TrapObservation {
  KernelVersion since;
  std::string outcome;
};
// A bug outside KVM that this suite has traced (docs/findings/), with the platforms it is on.
struct KnownBug {
  std::string platform;  // fnmatch pattern on kvmct.platform=, e.g. "qemu-10.0.*"
  Owner owner;           // whose bug: qemu or platform (a KVM bug is a deviation in overrides.yaml)
  std::string summary;
  std::string details;  // the findings document
};
// The exact wrong outcome a known bug produces, per kernel: anything else still fails.
struct KnownBugOutcome {
  std::string bug;
  std::vector<TrapObservation> outcomes;  // ascending `since`
  std::string where;                      // file:line of the case's known_bug
};
struct TrapExpectation {
  std::vector<std::string> allowed;
  std::map<std::string, std::vector<std::string>> allowed_if_host_has;  // host extension -> more outcomes
  std::vector<TrapObservation> observed;                              // ascending `since`
  std::optional<KnownBugOutcome> known_bug;
  std::string where;  // file:line of the case
};

struct TrapTable {
  std::map<std::string, KnownBug> bugs;
  std::map<std::string, TrapExpectation, std::less<>> cases;

  // Every case must name one of `scenarios` and every scenario must have a case.
  static Result<TrapTable> parse(std::string_view text, const std::string& file,
                                 std::span<const std::string_view> scenarios);
};

// The entry with the greatest `since` not above `kernel`; nullptr when none is.
const TrapObservation* for_kernel(const std::vector<TrapObservation>& list, const std::optional<KernelVersion>& kernel);

}  // namespace kvmct
