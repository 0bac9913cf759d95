// SPDX-License-Identifier: MIT
// A user buffer that ends exactly where a PROT_NONE guard page begins (optionally running
// `overhang` bytes into it), so a kernel write one byte too far faults instead of passing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/fd.h"
#include "core/result.h"

namespace kvmct::arm64 {

class GuardedBuffer {
 public:
  // `bytes` long; its last `overhang` bytes lie in the guard page (0: it ends at the guard).
  static Result<GuardedBuffer> create(size_t bytes, size_t overhang = 0);

  uint64_t address() const { return reinterpret_cast<uint64_t>(start_); }
  size_t size() const { return bytes_; }
  // The accessible part: all of it without overhang.
  size_t accessible() const { return bytes_ - overhang_; }
  // Fills the accessible part with `byte`.
  void fill(uint8_t byte);
  // The first offset of the accessible part that is not `byte`; accessible() when none.
  size_t first_not(uint8_t byte) const;
  const uint64_t* words() const { return reinterpret_cast<const uint64_t*>(start_); }
  // mprotect(PROT_READ) of the accessible pages.
  Status make_read_only();

 private:
  GuardedBuffer(Mapping map, uint8_t* start, size_t bytes, size_t overhang)
      : map_(std::move(map)), start_(start), bytes_(bytes), overhang_(overhang) {}
  Mapping map_;
  uint8_t* start_;
  size_t bytes_;
  size_t overhang_;
};

// An address no mapping covers: a page mapped and unmapped again (nothing else maps in between
// in this single-threaded process).
Result<uint64_t> unmapped_address();

}  // namespace kvmct::arm64
