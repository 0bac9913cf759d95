// SPDX-License-Identifier: MIT
// The per-kernel-version policy (expected/riscv/policy.yaml): which extensions KVM refuses to
// disable or enable, and under which host condition, each rule citing the kernel function.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "riscv/expect/catalogue.h"
#include "expect/kernel_version.h"

namespace kvmct {

struct CitedSet {
  std::set<std::string> extensions;
  std::string cite;
};

// extension -> catalogue extension the host must have for the operation to be allowed.
struct CitedHostRules {
  std::map<std::string, std::string> rules;
  std::string cite;
};

struct ConfigIsaRule {
  std::set<char> forced_on;   // letters that stay set whatever userspace writes
  std::set<char> forced_off;  // letters cleared whatever userspace writes
  std::string cite;
};

struct PolicyRange {
  KernelVersion from;
  std::optional<KernelVersion> before;  // exclusive; open on the newest range
  std::string source;
  CitedSet never_disable;
  CitedHostRules disable_requires_host;
  CitedSet never_enable;
  CitedHostRules enable_requires_host;
  ConfigIsaRule config_isa;
  int line = 0;

  bool contains(const KernelVersion& v) const { return from <= v && (!before || v < *before); }
  std::string range_text() const;
};

// Which range applies to a kernel, and whether it was chosen as a fallback.
struct PolicySelection {
  const PolicyRange* range = nullptr;
  bool newer_than_all = false;  // kernel is newer than every range: the newest one is used
};

class Policy {
 public:
  static Result<Policy> parse(std::string_view text, const std::string& file, const Catalogue& catalogue);

  // Error when the kernel is older than every range: nothing states its contract.
  Result<PolicySelection> select(const KernelVersion& kernel) const;
  const std::vector<PolicyRange>& ranges() const { return ranges_; }

 private:
  std::vector<PolicyRange> ranges_;  // sorted by `from`, non-overlapping
  std::string file_;
};

}  // namespace kvmct
