// SPDX-License-Identifier: MIT
// The tests that load the real tables of expected/ read them with this one helper.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace kvmct {

// The whole file; empty when it cannot be opened (the loader then names what is missing).
inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kvmct
