// SPDX-License-Identifier: MIT
// What the guest-payload suites share: a GuestVm for a named payload with the catalogue's
// names in its device tree and errors, the run's facts recorded in the result, and reading
// reports so that a short one fails its case.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/guest_run.h"
#include "riscv/guest_vm.h"

namespace kvmct {

Result<riscv::GuestVm> make_guest_vm(std::string_view payload, unsigned vcpus = 1);

// guest_ms, guest_exits and, when the run was not clean, guest_summary as test properties.
void record_guest_run(const GuestRun& run);

}  // namespace kvmct

// `var` = exactly `count` values vCPU 0 reported under `name`, oldest first, or the case fails
// saying what the guest reported instead (GuestRun::require_all).
#define KVMCT_REQUIRE_REPORTS(var, run, name, count)                                           \
  ::kvmct::Result<std::vector<uint64_t>> var##_result = (run).require_all(name, count);     \
  ASSERT_TRUE(var##_result) << var##_result.error().to_string() << "; " << (run).summary(); \
  const std::vector<uint64_t>& var = *var##_result
