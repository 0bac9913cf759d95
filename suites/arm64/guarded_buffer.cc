// SPDX-License-Identifier: MIT
// Guard-page buffers for the EFAULT and zero-fill checks of KVM_ARM_GET_REG_WRITABLE_MASKS.
#include "guarded_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace kvmct::arm64 {

namespace {
size_t page_size() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)); }
}  // namespace

Result<GuardedBuffer> GuardedBuffer::create(size_t bytes, size_t overhang) {
  const size_t page = page_size();
  if (overhang > bytes || overhang > page) return Error{EINVAL, "GuardedBuffer: overhang " + std::to_string(overhang)};
  const size_t before = bytes - overhang;
  const size_t data_pages = (before + page - 1) / page;
  Result<Mapping> map = Mapping::anonymous((data_pages + 1) * page);
  if (!map) return map.error();
  uint8_t* guard = map->as<uint8_t>() + data_pages * page;
  if (::mprotect(guard, page, PROT_NONE) < 0) return errno_error("mprotect guard page PROT_NONE");
  return GuardedBuffer(std::move(*map), guard - before, bytes, overhang);
}

void GuardedBuffer::fill(uint8_t byte) { std::memset(start_, byte, accessible()); }

size_t GuardedBuffer::first_not(uint8_t byte) const {
  for (size_t i = 0; i < accessible(); ++i)
    if (start_[i] != byte) return i;
  return accessible();
}

Status GuardedBuffer::make_read_only() {
  const size_t page = page_size();
  auto* base = map_.as<uint8_t>();
  const size_t len = static_cast<size_t>((start_ + accessible()) - base);
  if (::mprotect(base, (len + page - 1) / page * page, PROT_READ) < 0) return errno_error("mprotect PROT_READ");
  return Ok{};
}

Result<uint64_t> unmapped_address() {
  Result<Mapping> map = Mapping::anonymous(page_size());
  if (!map) return map.error();
  const uint64_t addr = reinterpret_cast<uint64_t>(map->data());
  return addr;  // the Mapping unmaps here
}

}  // namespace kvmct::arm64
