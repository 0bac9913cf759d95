// SPDX-License-Identifier: MIT
// A GoogleTest listener printing KTAP v1 on stdout as tests finish: one nested subtest per
// GoogleTest suite, failure messages as "# " diagnostics before the "not ok" line.
#pragma once

#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "report/ktap.h"

namespace kvmct {

class KtapListener : public testing::EmptyTestEventListener {
 public:
  explicit KtapListener(std::ostream& out = std::cout) : ktap_(out) {}

  void OnTestProgramStart(const testing::UnitTest& unit) override;
  void OnTestSuiteStart(const testing::TestSuite& suite) override;
  void OnTestPartResult(const testing::TestPartResult& part) override;
  void OnTestEnd(const testing::TestInfo& info) override;
  void OnTestSuiteEnd(const testing::TestSuite& suite) override;
  void OnTestProgramEnd(const testing::UnitTest& unit) override;

 private:
  KtapWriter ktap_;
  size_t suite_number_ = 0;
  size_t case_number_ = 0;
  size_t suite_failed_ = 0;
  size_t suite_skipped_ = 0;
};

// "IsaExt/Foo" -> "Foo": the KTAP and JSON name of a GoogleTest suite.
std::string display_suite_name(const char* gtest_suite_name);
// "Zaamo" or, for TEST_P cases, "Case/Param".
std::string display_case_name(const testing::TestInfo& info);

}  // namespace kvmct
