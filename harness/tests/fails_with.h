// SPDX-License-Identifier: MIT
// The one assertion of the loaders' negative tests: the load fails with exactly this message
// (file:line, then the reason), so a test cannot pass on some other error.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/result.h"

namespace kvmct {

template <class T>
::testing::AssertionResult FailsWith(const Result<T>& r, const std::string& message) {
  if (r) return ::testing::AssertionFailure() << "loaded, expected the error \"" << message << "\"";
  if (r.error().what != message)
    return ::testing::AssertionFailure() << "error \"" << r.error().what << "\", expected \"" << message << "\"";
  return ::testing::AssertionSuccess();
}

}  // namespace kvmct
