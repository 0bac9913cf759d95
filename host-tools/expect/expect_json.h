// SPDX-License-Identifier: MIT
// The answer of kvmct-expect as JSON: the release that applies, its errno regime and CONFIG isa
// rule, and per extension presence, default, disable, enable and after-run with their rules.
#pragma once

#include <set>
#include <string>

#include "expect/kernel_config.h"
#include "report/json.h"
#include "riscv/expect/expectations.h"

namespace kvmct {

struct ExpectHost {
  std::set<std::string> extensions;  // device-tree names, lower case
  std::string source;                // "riscv,isa-extensions" (a device tree) or "--host-isa"
  std::string isa_string;
};

// `config`: the host kernel's .config for the catalogue's host_config options (default: unknown).
Json expect_json(const Expectations& tables, const PolicySelection& selection, const ExpectHost& host,
                 const KernelConfig& config = KernelConfig());

}  // namespace kvmct
