// SPDX-License-Identifier: MIT
// KTAP output of a GoogleTest run.
#include "ktap_listener.h"

namespace kvmct {

std::string display_suite_name(const char* gtest_suite_name) {
  std::string name = gtest_suite_name;
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::string display_case_name(const testing::TestInfo& info) { return info.name(); }

void KtapListener::OnTestProgramStart(const testing::UnitTest& unit) {
  ktap_.begin(static_cast<size_t>(unit.test_suite_to_run_count()));
}

void KtapListener::OnTestSuiteStart(const testing::TestSuite& suite) {
  ++suite_number_;
  case_number_ = suite_failed_ = suite_skipped_ = 0;
  ktap_.begin_suite(display_suite_name(suite.name()), static_cast<size_t>(suite.test_to_run_count()));
}

void KtapListener::OnTestPartResult(const testing::TestPartResult& part) {
  if (part.skipped()) return;  // the reason goes on the result line
  std::string where = part.file_name() ? std::string(part.file_name()) + ":" + std::to_string(part.line_number()) + ": " : "";
  ktap_.diagnostic(where + part.message());
}

void KtapListener::OnTestEnd(const testing::TestInfo& info) {
  const testing::TestResult& r = *info.result();
  KtapStatus status = KtapStatus::Pass;
  std::string reason;
  if (r.Failed()) {
    status = KtapStatus::Fail;
    ++suite_failed_;
  } else if (r.Skipped()) {
    status = KtapStatus::Skip;
    ++suite_skipped_;
    for (int i = 0; i < r.total_part_count(); ++i)
      if (r.GetTestPartResult(i).skipped()) reason = r.GetTestPartResult(i).message();
  }
  ktap_.case_result(++case_number_, display_case_name(info), status, reason);
}

void KtapListener::OnTestSuiteEnd(const testing::TestSuite& suite) {
  KtapStatus status = KtapStatus::Pass;
  if (suite_failed_) status = KtapStatus::Fail;
  else if (suite_skipped_ == case_number_ && case_number_ > 0) status = KtapStatus::Skip;
  ktap_.end_suite(suite_number_, display_suite_name(suite.name()), status,
                  status == KtapStatus::Skip ? "every case skipped" : "");
}

void KtapListener::OnTestProgramEnd(const testing::UnitTest& unit) {
  ktap_.diagnostic("kvmct-suite: " + std::to_string(unit.successful_test_count()) + " passed, " +
                   std::to_string(unit.failed_test_count()) + " failed, " + std::to_string(unit.skipped_test_count()) +
                   " skipped");
}

}  // namespace kvmct
