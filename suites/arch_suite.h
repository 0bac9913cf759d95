// SPDX-License-Identifier: MIT
// What main.cc asks of an architecture's suite, implemented once in suites/<arch>/arch_suite.cc:
// main.cc itself names no architecture.
#pragma once

#include <ostream>

#include "core/result.h"
#include "report/json.h"
#include "suite_options.h"

namespace kvmct::arch_suite {

// Reads the machine's facts and the expectation tables, sets the suite's context and registers
// the table-driven cases. An Error when the tables themselves are broken: then nothing can run.
Status prepare(const SuiteOptions& options);
// The result document's architecture parts: "facts" (with "arch") and, on riscv, "isa_extensions".
void add_result_fields(Json& document);
// --kvmct-atomics-bench=R: guest atomic throughput after the tests, its table printed on
// `table`; the rows for the result document's "atomics_bench", or why the bench cannot run.
Result<Json> atomics_bench(unsigned repeats, std::ostream& table);

}  // namespace kvmct::arch_suite
