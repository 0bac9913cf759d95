// SPDX-License-Identifier: MIT
// main.cc's hooks for RISC-V: the SuiteContext with its ISA_EXT tables, one case per
// catalogue extension, and the result's facts and isa_extensions[] table.
#include "arch_suite.h"

#include "atomics_bench.h"
#include "per_extension_test.h"
#include "suite_context.h"

namespace kvmct::arch_suite {

Status prepare(const SuiteOptions& options) {
  Result<SuiteContext> ctx = SuiteContext::create(options.expected_dir, options.kernel_config);
  if (!ctx) return ctx.error();
  set_context(std::move(*ctx));
  register_per_extension_tests(context().catalogue());
  return Ok{};
}

void add_result_fields(Json& document) {
  document["facts"] = context().document_facts();
  document["isa_extensions"] = context().isa_ext_table();
}

Result<Json> atomics_bench(unsigned repeats, std::ostream& table) { return run_atomics_bench(repeats, table); }

}  // namespace kvmct::arch_suite
