// SPDX-License-Identifier: MIT
// A whole file as bytes (a host device tree blob), or the errno of opening it with its path.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace kvmct {

Result<std::vector<char>> read_file_bytes(const std::string& path);

}  // namespace kvmct
