// SPDX-License-Identifier: MIT
// Strict reading of the expectation YAML: every error names file:line and the reason, and
// unknown keys are errors, so a typo in expected/ fails at start-up instead of silently.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "expect/kernel_version.h"

namespace kvmct {

// Thrown only inside the parsers and turned into an Error at their boundary.
class YamlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class YamlFile {
 public:
  YamlFile(std::string name) : name_(std::move(name)) {}

  // Parses text. A syntax error throws YAML::Exception, which parse_yaml turns into an Error
  // naming the file and line.
  YAML::Node load(std::string_view text) const;

  [[noreturn]] void fail(const YAML::Node& at, const std::string& reason) const;
  std::string where(const YAML::Node& at) const;
  const std::string& name() const { return name_; }

  // Rejects any key of map `node` not in `allowed`.
  void only_keys(const YAML::Node& node, std::initializer_list<std::string_view> allowed, std::string_view what) const;
  YAML::Node required(const YAML::Node& map, const char* key, std::string_view what) const;
  std::string string(const YAML::Node& node, std::string_view what) const;
  long integer(const YAML::Node& node, std::string_view what) const;
  bool boolean(const YAML::Node& node, std::string_view what) const;
  KernelVersion version(const YAML::Node& node, std::string_view what) const;
  std::vector<std::string> string_list(const YAML::Node& node, std::string_view what) const;

 private:
  std::string name_;
};

// Runs a parser body, converting YamlError and yaml-cpp exceptions into Error values.
template <class T, class F>
Result<T> parse_yaml(const YamlFile& file, F&& body) {
  try {
    return body();
  } catch (const YamlError& e) {
    return Error{0, e.what()};
  } catch (const YAML::Exception& e) {
    return Error{0, file.name() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg};
  }
}

}  // namespace kvmct
