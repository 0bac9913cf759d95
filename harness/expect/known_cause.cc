// SPDX-License-Identifier: MIT
// Owner names of known causes.
#include "expect/known_cause.h"

namespace kvmct {

const char* to_string(Owner owner) {
  switch (owner) {
    case Owner::Kvm: return "kvm";
    case Owner::Platform: return "platform";
    case Owner::Qemu: return "qemu";
  }
  return "?";
}

std::optional<Owner> parse_owner(std::string_view text) {
  for (Owner o : {Owner::Kvm, Owner::Platform, Owner::Qemu})
    if (text == to_string(o)) return o;
  return std::nullopt;
}

}  // namespace kvmct
