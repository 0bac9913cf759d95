// SPDX-License-Identifier: MIT
// Recording and asserting the judge's decisions.
#include "check_judge.h"

#include <gtest/gtest.h>

namespace kvmct {

CheckRecord judge(CheckInput input, const std::optional<KnownCause>& cause, const std::string& subject,
                  const std::string& facts, const char* file, int line) {
  input.test = current_test_name();
  CheckRecord record = judge_check(input, cause);
  TestRecord& t = current_test();
  t.checks.push_back(record.to_json());
  if (record.state == CheckState::Fail)
    ADD_FAILURE_AT(file, line) << record.describe(subject) << (facts.empty() ? "" : "; " + facts);
  if (record.state == CheckState::Known) t.known = record.known;
  return record;
}

std::string known_skip_reason(const CheckRecord& r, const std::string& subject) {
  const char* what = r.known->owner == Owner::Kvm ? "known deviation" : "known bug";
  return std::string(what) + " (" + to_string(r.known->owner) + ", " + r.known->source + "): " + r.known->reason +
         "; " + subject + " " + r.check + ": observed " + r.observed + ", expected " + r.expected;
}

}  // namespace kvmct
