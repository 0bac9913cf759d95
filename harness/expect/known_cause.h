// SPDX-License-Identifier: MIT
// Why a check that differs from its expectation is excused: whose bug it is (owner), the
// reason, and the table line that says so. Shared by overrides.yaml and atomic-traps.yaml.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kvmct {

// kvm: KVM breaks its contract; qemu: the emulator is wrong; platform: firmware or board.
enum class Owner { Kvm, Platform, Qemu };

// "kvm", "platform", "qemu": the spelling of the YAML and of the result document.
const char* to_string(Owner owner);
std::optional<Owner> parse_owner(std::string_view text);
// "kvm | platform | qemu", for error messages.
inline constexpr std::string_view kOwnerChoices = "kvm | platform | qemu";

struct KnownCause {
  Owner owner = Owner::Kvm;
  std::string reason;
  std::string source;  // "expected/riscv/overrides.yaml:14"
};

}  // namespace kvmct
