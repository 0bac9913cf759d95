// SPDX-License-Identifier: MIT
// Dependencies between extensions (expected/riscv/isa-dependencies.yaml): what each extension
// requires and implies, from the ISA manual and the kernel's cpufeature.c, and which rules an
// advertised extension set breaks.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "riscv/expect/catalogue.h"

namespace kvmct {

struct DependencyRule {
  std::string extension;              // catalogue name
  std::vector<std::string> when;      // also on, or the rule does not apply
  std::vector<std::string> needs;     // the YAML's `requires` (a keyword in C++20)
  std::vector<std::string> implies;
  std::string manual;                 // the ISA manual's definition
  std::map<std::string, std::string> kernel;  // Debian version -> cpufeature.c citation
  std::string differs;                // where manual and kernel disagree; "" when they agree
  std::string source;                 // "expected/riscv/isa-dependencies.yaml:31"
};

// One broken rule: `extension` (with `when`) is on and `missing` is off.
struct DependencyViolation {
  const DependencyRule* rule = nullptr;
  std::string relation;  // "requires" | "implies"
  std::string missing;

  // "ZVBB requires V", "C with D implies ZCD": the rule as it is named in results.
  std::string rule_name() const;
};

class Dependencies {
 public:
  static Result<Dependencies> parse(std::string_view text, const std::string& file, const Catalogue& catalogue);

  const std::vector<DependencyRule>& rules() const { return rules_; }
  // The rules `advertised` (extension name -> on, for the registers this vCPU has) breaks. A
  // name missing from `advertised` (no register on this kernel) neither triggers nor breaks a rule.
  std::vector<DependencyViolation> violations(const std::map<std::string, bool>& advertised) const;

 private:
  std::vector<DependencyRule> rules_;
};

}  // namespace kvmct
