// SPDX-License-Identifier: MIT
// Per-kernel exceptions (expected/riscv/overrides.yaml): known backports and known deviations,
// each with its owner and reason, matched on `uname -r` with shell wildcards.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "expect/known_cause.h"
#include "riscv/expect/catalogue.h"

namespace kvmct {

// The per-extension checks a deviation can excuse: the `check` names of the result document.
inline constexpr std::string_view kDeviationChecks[] = {"presence",  "default",          "disable",          "enable",
                                                        "after_run", "executes_default", "executes_disabled",
                                                        "reg_list_complete", "dependency"};

struct Deviation {
  std::string extension;
  std::string check;
  KnownCause known;  // owner, reason, and the file:line of the entry
};

struct KernelOverride {
  std::vector<std::string> kernels;  // fnmatch patterns on the release; any may match
  std::set<std::string> backports;
  std::vector<Deviation> deviations;
  int line = 0;
};

class Overrides {
 public:
  static Result<Overrides> parse(std::string_view text, const std::string& file, const Catalogue& catalogue);

  // The overrides whose pattern matches this release, in file order.
  std::vector<const KernelOverride*> matching(const std::string& release) const;
  bool is_backport(const std::string& release, const std::string& extension) const;
  // The deviation excusing a check of an extension on this kernel, or nullptr.
  const Deviation* deviation(const std::string& release, const std::string& extension, std::string_view check) const;

 private:
  std::vector<KernelOverride> overrides_;
};

}  // namespace kvmct
