// SPDX-License-Identifier: MIT
// Guest RAM: one anonymous mapping exposed to a VM as one memslot, with bounds-checked
// access by guest-physical address for loading payloads and reading hypercall arguments.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/fd.h"
#include "core/kvm.h"
#include "core/result.h"

namespace kvmct {

class GuestMemory {
 public:
  static Result<GuestMemory> create(uint64_t gpa, size_t size);

  // KVM_SET_USER_MEMORY_REGION of the whole range as `slot`.
  Status map_into(Vm& vm, uint32_t slot) const;

  uint64_t base() const { return base_; }
  size_t size() const { return memory_.size(); }
  bool contains(uint64_t gpa, size_t len) const {
    return gpa >= base_ && len <= size() && gpa - base_ <= size() - len;
  }
  // Host address of [gpa, gpa + len), nullptr when any of it lies outside.
  uint8_t* at(uint64_t gpa, size_t len) const;

  Status write(uint64_t gpa, std::span<const uint8_t> bytes);
  // write() into a block of `capacity` bytes at gpa (a payload's parameter block): more bytes
  // than fit is E2BIG naming `block`, so a payload never reads parameters cut short.
  Status write_block(uint64_t gpa, size_t capacity, std::span<const uint8_t> bytes, const std::string& block);
  Result<std::string> read(uint64_t gpa, size_t len) const;
  // A NUL-terminated string of at most max bytes including the NUL.
  Result<std::string> read_string(uint64_t gpa, size_t max) const;

 private:
  GuestMemory(uint64_t base, Mapping memory) : base_(base), memory_(std::move(memory)) {}
  uint64_t base_;
  Mapping memory_;
};

}  // namespace kvmct
