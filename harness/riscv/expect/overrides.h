// SPDX-License-Identifier: MIT
// Per-kernel exceptions (expected/riscv/overrides.yaml): known backports and known deviations,
// each with its reason, matched on `uname -r` with shell wildcards.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "riscv/expect/catalogue.h"

namespace kvmct {

// The checks a deviation can excuse, as named in the YAML.
inline constexpr std::string_view kDeviationChecks[] = {"presence", "default", "disable", "enable", "after_run",
                                                        "execution"};

struct Deviation {
  std::string extension;
  std::string check;
  std::string reason;
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
  // The reason a check of an extension is a known deviation on this kernel, or empty.
  std::string deviation(const std::string& release, const std::string& extension, std::string_view check) const;

 private:
  std::vector<KernelOverride> overrides_;
};

}  // namespace kvmct
