// SPDX-License-Identifier: MIT
#include "core/file_bytes.h"

#include <cerrno>
#include <fstream>
#include <iterator>

namespace kvmct {

Result<std::vector<char>> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{errno, "open " + path};
  return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace kvmct
