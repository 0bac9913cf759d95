// SPDX-License-Identifier: MIT
// A kernel's build configuration (the .config text, `CONFIG_X=y` lines): some host features
// exist only when the host kernel was built with an option, whatever the device tree says.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kvmct {

enum class ConfigState { Unknown, Yes, Module, No };

class KernelConfig {
 public:
  // A config nobody supplied: every option is Unknown.
  KernelConfig() = default;
  static KernelConfig parse(std::string_view text, std::string source);
  static Result<KernelConfig> read(const std::string& path);

  bool known() const { return !source_.empty(); }
  const std::string& source() const { return source_; }
  // `option` without the CONFIG_ prefix, e.g. "RISCV_USER_CFI". A known config that does not
  // set an option has it off ("# CONFIG_X is not set", or absent because its deps are unmet).
  ConfigState state(const std::string& option) const;

 private:
  std::map<std::string, char> values_;  // option -> 'y' | 'm' (anything else is dropped)
  std::string source_;
};

const char* to_string(ConfigState s);

}  // namespace kvmct
