// SPDX-License-Identifier: MIT
// Per-test JSON records: GoogleTest's verdict plus the running case's TestRecord.
#include "result_document.h"

#include "ktap_listener.h"
#include "test_record.h"

namespace kvmct {

void ResultDocument::OnTestStart(const testing::TestInfo&) { current_test() = TestRecord{}; }

void ResultDocument::OnTestEnd(const testing::TestInfo& info) {
  const testing::TestResult& r = *info.result();
  const TestRecord& record = current_test();
  Json t = Json::object();
  t["name"] = display_suite_name(info.test_suite_name()) + "." + display_case_name(info);
  t["gtest_name"] = std::string(info.test_suite_name()) + "." + info.name();
  t["suite"] = display_suite_name(info.test_suite_name());
  t["case"] = display_case_name(info);
  t["status"] = r.Failed() ? "fail" : r.Skipped() ? "skip" : "pass";
  t["duration_ms"] = static_cast<int64_t>(r.elapsed_time());
  std::string message, skip_reason;
  for (int i = 0; i < r.total_part_count(); ++i) {
    const testing::TestPartResult& part = r.GetTestPartResult(i);
    if (!message.empty()) message += "\n";
    if (part.file_name() && !part.skipped())
      message += std::string(part.file_name()) + ":" + std::to_string(part.line_number()) + ": ";
    message += part.message();
    if (part.skipped()) skip_reason = part.message();
  }
  while (!skip_reason.empty() && skip_reason.back() == '\n') skip_reason.pop_back();
  t["message"] = message;
  if (r.test_property_count() > 0) {
    Json props = Json::object();
    for (int i = 0; i < r.test_property_count(); ++i)
      props[r.GetTestProperty(i).key()] = std::string(r.GetTestProperty(i).value());
    t["properties"] = props;
  }
  if (!record.subject.is_null()) t["subject"] = record.subject;
  t["checks"] = record.checks;
  if (!record.unknown_ids.is_null()) t["unknown_ids"] = record.unknown_ids;
  if (!r.Failed() && r.Skipped()) {
    // Every skip goes through KVMCT_SKIP; a bare GTEST_SKIP shows as kind null.
    Json skip = Json::object();
    skip["kind"] = record.skip_kind ? Json(to_string(*record.skip_kind)) : Json();
    skip["reason"] = skip_reason;
    t["skip"] = skip;
    if (record.skip_kind == SkipKind::Known && record.known) t["known"] = to_json(*record.known);
  }
  tests_.push_back(std::move(t));
}

}  // namespace kvmct
