// SPDX-License-Identifier: MIT
// KTAP v1 output (Documentation/dev-tools/ktap.rst): a plan of suites, each suite a nested
// subtest with its own plan and one result line per case, indented four spaces.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace kvmct {

enum class KtapStatus { Pass, Fail, Skip };

class KtapWriter {
 public:
  explicit KtapWriter(std::ostream& out) : out_(out) {}

  void begin(size_t suites);
  void begin_suite(std::string_view name, size_t cases);
  // "# text" lines at the current depth; multi-line text becomes several lines.
  void diagnostic(std::string_view text);
  void case_result(size_t number, std::string_view name, KtapStatus status, std::string_view skip_reason = {});
  void end_suite(size_t number, std::string_view name, KtapStatus status, std::string_view skip_reason = {});

  // KTAP names may not contain '#' or line breaks; other characters pass through.
  static std::string sanitize(std::string_view name);

 private:
  void result_line(size_t number, std::string_view name, KtapStatus status, std::string_view skip_reason);
  std::ostream& out_;
  int depth_ = 0;
};

}  // namespace kvmct
