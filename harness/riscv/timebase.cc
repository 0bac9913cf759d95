// SPDX-License-Identifier: MIT
// timebase-frequency from the flattened device tree with libfdt (a u32 or u64 cell on /cpus).
#include "riscv/timebase.h"

extern "C" {
#include <libfdt.h>
}

#include <cerrno>
#include <vector>

#include "core/file_bytes.h"

namespace kvmct::riscv {

Result<uint64_t> timebase_hz_from_fdt(const void* blob, size_t size) {
  if (size < sizeof(fdt_header) || fdt_check_header(blob) != 0 || fdt_totalsize(blob) > size)
    return Error{0, "device tree: not a valid flattened device tree (" + std::to_string(size) + " bytes)"};
  const int cpus = fdt_path_offset(blob, "/cpus");
  if (cpus < 0) return Error{0, "device tree: no /cpus node"};
  int len = 0;
  const auto* p = static_cast<const uint8_t*>(fdt_getprop(blob, cpus, "timebase-frequency", &len));
  if (!p || (len != 4 && len != 8)) return Error{0, "device tree: /cpus has no 32- or 64-bit timebase-frequency"};
  uint64_t hz = 0;
  for (int i = 0; i < len; ++i) hz = hz << 8 | p[i];  // cells are big-endian
  if (hz == 0) return Error{0, "device tree: /cpus timebase-frequency is 0"};
  return hz;
}

Result<uint64_t> read_timebase_hz(const std::string& path) {
  Result<std::vector<char>> blob = read_file_bytes(path);
  if (!blob) return blob.error();
  Result<uint64_t> hz = timebase_hz_from_fdt(blob->data(), blob->size());
  if (!hz) return Error{0, path + ": " + hz.error().what};
  return hz;
}

}  // namespace kvmct::riscv
