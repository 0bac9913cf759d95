// SPDX-License-Identifier: MIT
// A Linux release reduced to what the expectation tables key on: major.minor.patch.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace kvmct {

struct KernelVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;

  // "7.2.13+deb14-riscv64" -> 7.2.13; "6.15" -> 6.15.0; nullopt when it does not start with N.N.
  static std::optional<KernelVersion> parse(std::string_view release);
  std::string to_string() const;
  auto operator<=>(const KernelVersion&) const = default;
};

}  // namespace kvmct
