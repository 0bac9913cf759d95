// SPDX-License-Identifier: MIT
// Per-extension judging: overrides lookup and the isa_extensions[] table.
#include "isa_ext_judge.h"

#include "suite_context.h"

namespace kvmct {

std::optional<KnownCause> isa_ext_deviation(const Extension& ext, const std::string& check) {
  const Deviation* d = context().expectations().overrides.deviation(context().release(), ext.name, check);
  if (!d) return std::nullopt;
  return d->known;
}

void record_isa_ext_check(const Extension& ext, const CheckRecord& record) {
  context().isa_ext_record(ext)["checks"][record.check] = record.to_json();
}

CheckRecord judge_isa_ext(const Extension& ext, const std::string& check, const std::string& observed,
                          const std::string& expected, const std::string& rule, const std::string& facts,
                          const char* file, int line) {
  CheckRecord r = judge(CheckInput{check, "", observed, {expected}, rule}, isa_ext_deviation(ext, check), ext.name,
                        facts, file, line);
  record_isa_ext_check(ext, r);
  return r;
}

}  // namespace kvmct
