// SPDX-License-Identifier: MIT
// Per-extension judging: overrides lookup and the isa_extensions[] table.
#include "isa_ext_judge.h"

#include "suite_context.h"

namespace kvmct {

std::optional<KnownCause> isa_ext_deviation(const Extension& ext, const std::string& check) {
  const Overrides& overrides = context().expectations().overrides;
  if (const Deviation* d = overrides.deviation(context().release(), ext.name, check)) return d->known;
  // A kernel newer than the tables runs under the newest release's rules, and so inherits the
  // deviations known for that release; a kernel that fixed the bug passes the check instead.
  const Result<PolicySelection>& policy = context().policy();
  if (!policy || !policy->newer_than_tables) return std::nullopt;
  const std::string newest = policy->effective.release.name() + ".0";
  const Deviation* d = overrides.deviation(newest, ext.name, check);
  if (!d) return std::nullopt;
  KnownCause inherited = d->known;
  inherited.reason += " [known for " + policy->effective.release.name() + "; kernel " + context().release() +
                      " is newer than the tables]";
  return inherited;
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
