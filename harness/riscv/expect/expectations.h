// SPDX-License-Identifier: MIT
// The three expectation tables loaded together, from a directory or from the copies
// embedded into kvmct-suite at build time.
#pragma once

#include <string>

#include "core/result.h"
#include "riscv/expect/catalogue.h"
#include "riscv/expect/overrides.h"
#include "riscv/expect/policy.h"

namespace kvmct {

struct ExpectationTexts {
  std::string catalogue;  // isa-extensions.yaml
  std::string policy;     // policy.yaml
  std::string overrides;  // overrides.yaml
};

struct Expectations {
  Catalogue catalogue;
  Policy policy;
  Overrides overrides;
  std::string origin;  // the directory, or "embedded"

  // `dir` labels every error message: "expected/riscv/policy.yaml:12: ...".
  static Result<Expectations> parse(const ExpectationTexts& texts, const std::string& dir);
  static Result<Expectations> load_dir(const std::string& dir);
};

}  // namespace kvmct
