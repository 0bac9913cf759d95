// SPDX-License-Identifier: MIT
// main.cc's hooks for arm64: the SuiteContext with its tables, one case per capability and
// per feature ID register, and the result's facts (no isa_extensions[] on arm64).
#include "arch_suite.h"

#include <cerrno>

#include "id_reg_vm.h"
#include "mask_tables.h"
#include "suite_context.h"

namespace kvmct::arch_suite {

Status prepare(const SuiteOptions& options) {
  Result<arm64::SuiteContext> ctx = arm64::SuiteContext::create(options.expected_dir, options.kernel_config);
  if (!ctx) return ctx.error();
  arm64::set_context(std::move(*ctx));
  arm64::register_capability_tests(arm64::context().capabilities());
  arm64::register_guest_id_reg_tests();
  if (Status s = arm64::register_writable_mask_tests(); !s) return s.error();
  arm64::register_id_reg_field_tests();  // S12 F: the SET_ONE_REG contract, field by field
  arm64::register_guest_id_reg_field_tests();
  return Ok{};
}

namespace {

// facts.policy: the ID-register table release the cell was judged by, in riscv's shape
// (docs/results.md), so the summary names it and a kernel between or past the tables shows.
Json policy_facts(const arm64::MaskTables& t) {
  Json policy = Json::object();
  if (!t.selection) {
    policy["error"] = t.selection.error().to_string();
    return policy;
  }
  const IdRegSelection& s = *t.selection;
  policy["release"] = s.release.name();
  policy["provenance"] = s.release.provenance == TableProvenance::Verified ? "verified" : "derived";
  policy["citation"] = s.release.source;
  policy["newer_than_tables"] = s.newer_than_tables;
  policy["kernel"] = s.kernel.to_string();
  Json missing = Json::array();
  for (const std::string& title : s.stable_missing) missing.push_back(title);
  policy["stable_missing"] = missing;
  return policy;
}

}  // namespace

void add_result_fields(Json& document) {
  document["facts"] = arm64::context().document_facts();
  document["facts"]["policy"] = policy_facts(arm64::mask_tables());
}

Result<Json> atomics_bench(unsigned, std::ostream&) {
  return Error{ENOTSUP, "--kvmct-atomics-bench: the atomics bench has a RISC-V payload only"};
}

}  // namespace kvmct::arch_suite
