// SPDX-License-Identifier: MIT
// main.cc's hooks for arm64: the SuiteContext with its tables, one case per capability and
// per feature ID register, and the result's facts (no isa_extensions[] on arm64).
#include "arch_suite.h"

#include "suite_context.h"

namespace kvmct::arch_suite {

Status prepare(const SuiteOptions& options) {
  Result<arm64::SuiteContext> ctx = arm64::SuiteContext::create(options.expected_dir, options.kernel_config);
  if (!ctx) return ctx.error();
  arm64::set_context(std::move(*ctx));
  arm64::register_capability_tests(arm64::context().capabilities());
  arm64::register_guest_id_reg_tests();
  return Ok{};
}

void add_result_fields(Json& document) { document["facts"] = arm64::context().document_facts(); }

}  // namespace kvmct::arch_suite
