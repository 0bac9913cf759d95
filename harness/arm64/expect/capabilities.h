// SPDX-License-Identifier: MIT
// expected/arm64/capabilities.yaml: what KVM_CHECK_EXTENSION returns for each arm64
// capability, from the kernel version and the host's own CPU features (never the QEMU CPU name).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "expect/kernel_version.h"

namespace kvmct::arm64 {

struct CapabilityRule {
  std::string name;                   // "KVM_CAP_ARM_SVE": the case is named after it
  long id = 0;                        // its number in include/uapi/linux/kvm.h
  KernelVersion since;                // first release that reports it; before: 0
  long value = 1;                     // what it returns when it applies
  std::vector<std::string> host_has;  // /proc/cpuinfo features it needs, all of them; else 0
  std::string source;                 // the kernel code that decides, for the rule text
};

struct CapabilityExpectation {
  long value = 0;
  std::string rule;  // why: "since 6.7, host has sve: 1 (arch/arm64/kvm/arm.c ...)"
};

class CapabilityTable {
 public:
  static Result<CapabilityTable> parse(std::string_view text, const std::string& file);
  const std::vector<CapabilityRule>& rules() const { return rules_; }
  const CapabilityRule* find(std::string_view name) const;

 private:
  std::vector<CapabilityRule> rules_;
};

CapabilityExpectation expect_capability(const CapabilityRule& rule, const KernelVersion& kernel,
                                        const std::set<std::string>& host_features);

}  // namespace kvmct::arm64
