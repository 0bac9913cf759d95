// SPDX-License-Identifier: MIT
// A file compiled into kvmct-suite by cmake/embed_files.cmake: the expectation tables and
// the guest payload images, so the binary runs on any KVM host of its architecture with nothing beside it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace kvmct {

struct EmbeddedFile {
  std::string_view name;  // the file name it was embedded under, e.g. "policy.yaml", "amo"
  std::span<const uint8_t> bytes;

  std::string_view text() const { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }
};

// nullptr when the table has no file of that name.
inline const EmbeddedFile* find_embedded(std::span<const EmbeddedFile> table, std::string_view name) {
  for (const EmbeddedFile& f : table)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace kvmct
