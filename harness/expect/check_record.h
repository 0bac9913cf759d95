// SPDX-License-Identifier: MIT
// The one judge of a check: observed versus expected under a rule, excused or not by a known
// cause, gives a CheckRecord whose state is pass, fail or known (docs/results.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expect/known_cause.h"
#include "report/json.h"

namespace kvmct {

enum class CheckState { Pass, Fail, Known };
const char* to_string(CheckState state);

struct CheckRecord {
  std::string check;     // "disable", "executes_default", "outcome", ...
  std::string test;      // the test that made it: "IsaExtDisable.Zaamo"
  std::string observed;  // "ok", "EINVAL", "present", "1", "executed", "trap:illegal-instruction"
  std::string expected;  // same vocabulary; alternatives joined by " | "
  std::string rule;      // the rule and citation that produced `expected`
  CheckState state = CheckState::Fail;
  std::optional<KnownCause> known;  // set exactly when state is Known

  Json to_json() const;
  // "ZAAMO disable: observed ok, expected EINVAL (rule: ...)": the failure message's core.
  std::string describe(const std::string& subject) const;
};

// What a check is, before judging.
struct CheckInput {
  std::string check;
  std::string test;
  std::string observed;
  std::vector<std::string> allowed;  // pass when observed is one of them; usually one
  std::string rule;
};

// Pass when observed is allowed; otherwise Known when `cause` excuses it, else Fail. A cause
// never turns a pass into anything else: a fixed bug passes.
CheckRecord judge_check(const CheckInput& input, const std::optional<KnownCause>& cause);

Json to_json(const KnownCause& cause);

}  // namespace kvmct
