// SPDX-License-Identifier: MIT
// Per-test JSON records.
#include "result_document.h"

#include "ktap_listener.h"

namespace kvmct {

void ResultDocument::OnTestEnd(const testing::TestInfo& info) {
  const testing::TestResult& r = *info.result();
  Json t = Json::object();
  t["name"] = display_suite_name(info.test_suite_name()) + "." + display_case_name(info);
  t["gtest_name"] = std::string(info.test_suite_name()) + "." + info.name();
  t["status"] = r.Failed() ? "fail" : r.Skipped() ? "skip" : "pass";
  t["duration_ms"] = static_cast<int64_t>(r.elapsed_time());
  std::string message;
  for (int i = 0; i < r.total_part_count(); ++i) {
    const testing::TestPartResult& part = r.GetTestPartResult(i);
    if (!message.empty()) message += "\n";
    if (part.file_name() && !part.skipped())
      message += std::string(part.file_name()) + ":" + std::to_string(part.line_number()) + ": ";
    message += part.message();
  }
  t["message"] = message;
  if (r.test_property_count() > 0) {
    Json props = Json::object();
    for (int i = 0; i < r.test_property_count(); ++i)
      props[r.GetTestProperty(i).key()] = std::string(r.GetTestProperty(i).value());
    t["properties"] = props;
  }
  tests_.push_back(std::move(t));
}

}  // namespace kvmct
