// SPDX-License-Identifier: MIT
// The extension catalogue (expected/riscv/isa-extensions.yaml): every KVM_RISCV_ISA_EXT_* id with
// its name, first Linux version and the device-tree names that give the host the extension.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "expect/kernel_version.h"

namespace kvmct {

struct Extension {
  std::string name;               // suffix of KVM_RISCV_ISA_EXT_<name>, e.g. "ZAAMO"
  uint32_t id = 0;
  KernelVersion since;            // first mainline release defining the id
  std::vector<std::string> host;  // alternatives; "c+d" needs both c and d in the device tree
  std::optional<char> letter;     // single-letter extensions: bit ('x' - 'a') of CONFIG isa
  bool guest_visible = true;
  std::string why;                // why a guest cannot observe it, when guest_visible is false
  // The host kernel has it only when built with this option (cpufeature.c validate callbacks),
  // whatever the device tree says; empty: no such condition.
  std::string host_config;
  std::string host_config_cite;
  int line = 0;                   // where it is defined, for messages

  // "ZAAMO" -> "Zaamo", the GoogleTest case name.
  std::string test_name() const;
};

class Catalogue {
 public:
  static Result<Catalogue> parse(std::string_view text, const std::string& file);

  const std::vector<Extension>& extensions() const { return extensions_; }
  const Extension* by_id(uint32_t id) const;
  const Extension* by_name(std::string_view name) const;
  uint32_t max_id() const { return extensions_.empty() ? 0 : extensions_.back().id; }
  const std::string& file() const { return file_; }

 private:
  std::vector<Extension> extensions_;  // sorted by id, ids unique and contiguous
  std::string file_;
};

}  // namespace kvmct
