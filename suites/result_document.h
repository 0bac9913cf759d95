// SPDX-License-Identifier: MIT
// Collects every test's outcome into the JSON result document (docs/results.md), which
// leaves the VM on the results disk rather than the console.
#pragma once

#include <gtest/gtest.h>

#include "report/json.h"

namespace kvmct {

class ResultDocument : public testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const testing::TestInfo& info) override;
  const Json& tests() const { return tests_; }

 private:
  Json tests_ = Json::array();
};

}  // namespace kvmct
