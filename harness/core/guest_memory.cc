// SPDX-License-Identifier: MIT
// Guest RAM backed by anonymous memory.
#include "core/guest_memory.h"

#include <cstring>

#include "core/result.h"

namespace kvmct {

Result<GuestMemory> GuestMemory::create(uint64_t gpa, size_t size) {
  Result<Mapping> m = Mapping::anonymous(size);
  if (!m) return m.error();
  return GuestMemory(gpa, std::move(*m));
}

Status GuestMemory::map_into(Vm& vm, uint32_t slot) const { return vm.set_memory(slot, base_, memory_); }

uint8_t* GuestMemory::at(uint64_t gpa, size_t len) const {
  if (!contains(gpa, len)) return nullptr;
  return memory_.as<uint8_t>() + (gpa - base_);
}

Status GuestMemory::write(uint64_t gpa, std::span<const uint8_t> bytes) {
  uint8_t* p = at(gpa, bytes.size());
  if (!p) return Error{EFAULT, "write " + std::to_string(bytes.size()) + " bytes at guest " + hex(gpa) + ": outside guest RAM"};
  std::memcpy(p, bytes.data(), bytes.size());
  return Ok{};
}

Status GuestMemory::write_block(uint64_t gpa, size_t capacity, std::span<const uint8_t> bytes,
                                const std::string& block) {
  if (bytes.size() > capacity)
    return Error{E2BIG, std::to_string(bytes.size()) + " bytes exceed " + block + " (" + std::to_string(capacity) + " bytes)"};
  return write(gpa, bytes);
}

Result<std::string> GuestMemory::read(uint64_t gpa, size_t len) const {
  const uint8_t* p = at(gpa, len);
  if (!p) return Error{EFAULT, "read " + std::to_string(len) + " bytes at guest " + hex(gpa) + ": outside guest RAM"};
  return std::string(reinterpret_cast<const char*>(p), len);
}

Result<std::string> GuestMemory::read_string(uint64_t gpa, size_t max) const {
  if (!contains(gpa, 1)) return Error{EFAULT, "string at guest " + hex(gpa) + ": outside guest RAM"};
  const size_t room = std::min(max, size() - static_cast<size_t>(gpa - base_));
  const char* p = reinterpret_cast<const char*>(at(gpa, room));
  const void* nul = std::memchr(p, 0, room);
  if (!nul) return Error{EINVAL, "string at guest " + hex(gpa) + ": no NUL within " + std::to_string(max) + " bytes"};
  return std::string(p, static_cast<const char*>(nul));
}

}  // namespace kvmct
