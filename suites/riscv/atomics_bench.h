// SPDX-License-Identifier: MIT
// `kvmct-suite --kvmct-atomics-bench=R`: guest atomic throughput, a bench and never a test (no
// verdict, nothing in KTAP). Runs after the tests, prints its table and returns the same rows
// for the result document's "atomics_bench".
#pragma once

#include <ostream>

#include "core/result.h"
#include "report/json.h"

namespace kvmct {

// Every (operation, layout, vCPUs) point, R timed runs each; the median ops/s per vCPU.
Result<Json> run_atomics_bench(unsigned repeats, std::ostream& table);

}  // namespace kvmct
