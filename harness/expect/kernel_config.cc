// SPDX-License-Identifier: MIT
// Reading a kernel .config.
#include "expect/kernel_config.h"

#include <cerrno>
#include <fstream>
#include <sstream>

namespace kvmct {

KernelConfig KernelConfig::parse(std::string_view text, std::string source) {
  KernelConfig c;
  c.source_ = source.empty() ? "(unnamed)" : std::move(source);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("CONFIG_", 0) != 0) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq + 1 >= line.size()) continue;
    const char v = line[eq + 1];
    if ((v == 'y' || v == 'm') && eq + 2 == line.size())
      c.values_[std::string(line.substr(7, eq - 7))] = v;
  }
  return c;
}

Result<KernelConfig> KernelConfig::read(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{errno, "open kernel config " + path};
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

ConfigState KernelConfig::state(const std::string& option) const {
  if (!known()) return ConfigState::Unknown;
  auto it = values_.find(option);
  if (it == values_.end()) return ConfigState::No;
  return it->second == 'y' ? ConfigState::Yes : ConfigState::Module;
}

const char* to_string(ConfigState s) {
  switch (s) {
    case ConfigState::Unknown: return "unknown";
    case ConfigState::Yes: return "y";
    case ConfigState::Module: return "m";
    case ConfigState::No: return "n";
  }
  return "?";
}

}  // namespace kvmct
