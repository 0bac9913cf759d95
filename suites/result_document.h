// SPDX-License-Identifier: MIT
// A GoogleTest listener building the tests[] list of the result document (docs/results.md,
// schema kvmct-suite-result/2), which leaves the VM on the results disk rather than the console.
#pragma once

#include <gtest/gtest.h>

#include "report/json.h"

namespace kvmct {

inline constexpr const char* kSuiteResultSchema = "kvmct-suite-result/2";

class ResultDocument : public testing::EmptyTestEventListener {
 public:
  void OnTestStart(const testing::TestInfo& info) override;
  void OnTestEnd(const testing::TestInfo& info) override;
  const Json& tests() const { return tests_; }

 private:
  Json tests_ = Json::array();
};

}  // namespace kvmct
