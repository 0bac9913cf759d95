// SPDX-License-Identifier: MIT
// The pure decision of the judge and the JSON form of its records.
#include "expect/check_record.h"

#include <algorithm>

namespace kvmct {

const char* to_string(CheckState state) {
  switch (state) {
    case CheckState::Pass: return "pass";
    case CheckState::Fail: return "fail";
    case CheckState::Known: return "known";
  }
  return "?";
}

Json to_json(const KnownCause& cause) {
  Json j = Json::object();
  j["owner"] = to_string(cause.owner);
  j["reason"] = cause.reason;
  j["source"] = cause.source;
  return j;
}

CheckRecord judge_check(const CheckInput& in, const std::optional<KnownCause>& cause) {
  CheckRecord r{in.check, in.test, in.observed, "", in.rule, CheckState::Pass, std::nullopt};
  for (size_t i = 0; i < in.allowed.size(); ++i) r.expected += (i ? " | " : "") + in.allowed[i];
  if (std::find(in.allowed.begin(), in.allowed.end(), in.observed) != in.allowed.end()) return r;
  if (cause) {
    r.state = CheckState::Known;
    r.known = cause;
  } else {
    r.state = CheckState::Fail;
  }
  return r;
}

Json CheckRecord::to_json() const {
  Json j = Json::object();
  j["check"] = check;
  j["test"] = test;
  j["observed"] = observed;
  j["expected"] = expected;
  j["state"] = to_string(state);
  j["rule"] = rule;
  j["known"] = known ? kvmct::to_json(*known) : Json();
  return j;
}

std::string CheckRecord::describe(const std::string& subject) const {
  return subject + " " + check + ": observed " + observed + ", expected " + expected + " (rule: " + rule + ")";
}

}  // namespace kvmct
