// SPDX-License-Identifier: MIT
// Parsing `uname -r` strings and table version keys.
#include "expect/kernel_version.h"

#include <charconv>

namespace kvmct {
namespace {

// Reads a decimal number at s[pos]; advances pos. False when there is no digit.
bool read_number(std::string_view s, size_t& pos, int& out) {
  const char* begin = s.data() + pos;
  auto [end, ec] = std::from_chars(begin, s.data() + s.size(), out);
  if (ec != std::errc() || end == begin) return false;
  pos += static_cast<size_t>(end - begin);
  return true;
}

}  // namespace

std::optional<KernelVersion> KernelVersion::parse(std::string_view release) {
  KernelVersion v;
  size_t pos = 0;
  if (!read_number(release, pos, v.major)) return std::nullopt;
  if (pos >= release.size() || release[pos] != '.') return std::nullopt;
  ++pos;
  if (!read_number(release, pos, v.minor)) return std::nullopt;
  if (pos < release.size() && release[pos] == '.') {
    ++pos;
    if (!read_number(release, pos, v.patch)) return std::nullopt;
  }
  return v;
}

std::string KernelVersion::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace kvmct
