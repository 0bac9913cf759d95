// SPDX-License-Identifier: MIT
// The answer of kvmct-expect as JSON: the release that applies, its errno regime and CONFIG isa
// rule, and per extension presence, default, disable, enable and after-run with their rules.
#pragma once

#include <set>
#include <string>

#include "report/json.h"
#include "riscv/expect/expectations.h"

namespace kvmct {

struct ExpectHost {
  std::set<std::string> extensions;  // device-tree names, lower case
  std::string source;                // "riscv,isa-extensions" (a device tree) or "--host-isa"
  std::string isa_string;
};

Json expect_json(const Expectations& tables, const PolicySelection& selection, const ExpectHost& host);

}  // namespace kvmct
