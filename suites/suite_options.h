// SPDX-License-Identifier: MIT
// kvmct-suite's own flags, the same on every architecture (docs/suites.md): main.cc parses
// them, the architecture's suite reads them.
#pragma once

#include <string>

namespace kvmct {

struct SuiteOptions {
  std::string json_path;      // --kvmct-json=FILE: the result document
  std::string expected_dir;   // --kvmct-expected=DIR; empty: the tables embedded at build time
  std::string kernel_config;  // --kvmct-kernel-config=FILE: the host kernel's .config; empty: not known
  bool gtest_printer = false;  // --kvmct-gtest-printer: GoogleTest's printer instead of KTAP
  unsigned atomics_bench_runs = 0;  // --kvmct-atomics-bench=R: after the tests, R runs per point; 0: none
};

}  // namespace kvmct
