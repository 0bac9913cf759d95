// SPDX-License-Identifier: MIT
// KTAP v1 rendering.
#include "report/ktap.h"

namespace kvmct {

std::string KtapWriter::sanitize(std::string_view name) {
  std::string out;
  for (char c : name) out += (c == '#' || c == '\n' || c == '\r') ? '_' : c;
  return out;
}

void KtapWriter::begin(size_t suites) {
  out_ << "KTAP version 1\n1.." << suites << "\n" << std::flush;
}

void KtapWriter::begin_suite(std::string_view name, size_t cases) {
  depth_ = 1;
  out_ << "    KTAP version 1\n    # Subtest: " << sanitize(name) << "\n    1.." << cases << "\n" << std::flush;
}

void KtapWriter::diagnostic(std::string_view text) {
  const std::string indent(static_cast<size_t>(4 * depth_), ' ');
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() || nl < text.size()) out_ << indent << "# " << line << "\n";
    pos = nl + 1;
  }
  out_ << std::flush;
}

void KtapWriter::result_line(size_t number, std::string_view name, KtapStatus status, std::string_view skip_reason) {
  out_ << std::string(static_cast<size_t>(4 * depth_), ' ') << (status == KtapStatus::Fail ? "not ok " : "ok ") << number
       << " " << sanitize(name);
  if (status == KtapStatus::Skip) {
    std::string reason = sanitize(skip_reason.substr(0, skip_reason.find('\n')));
    out_ << " # SKIP" << (reason.empty() ? "" : " " + reason);
  }
  out_ << "\n" << std::flush;
}

void KtapWriter::case_result(size_t number, std::string_view name, KtapStatus status, std::string_view skip_reason) {
  result_line(number, name, status, skip_reason);
}

void KtapWriter::end_suite(size_t number, std::string_view name, KtapStatus status, std::string_view skip_reason) {
  depth_ = 0;
  result_line(number, name, status, skip_reason);
}

}  // namespace kvmct
