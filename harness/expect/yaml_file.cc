// SPDX-License-Identifier: MIT
// Strict YAML accessors with file:line errors.
#include "expect/yaml_file.h"

#include <algorithm>

namespace kvmct {

YAML::Node YamlFile::load(std::string_view text) const { return YAML::Load(std::string(text)); }

std::string YamlFile::where(const YAML::Node& at) const {
  const YAML::Mark mark = at.Mark();
  if (mark.is_null()) return name_;
  return name_ + ":" + std::to_string(mark.line + 1);
}

void YamlFile::fail(const YAML::Node& at, const std::string& reason) const {
  throw YamlError(where(at) + ": " + reason);
}

void YamlFile::only_keys(const YAML::Node& node, std::initializer_list<std::string_view> allowed,
                         std::string_view what) const {
  if (!node.IsMap()) fail(node, std::string(what) + " must be a mapping");
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      fail(kv.first, "unknown key '" + key + "' in " + std::string(what));
  }
}

YAML::Node YamlFile::required(const YAML::Node& map, const char* key, std::string_view what) const {
  YAML::Node n = map[key];
  if (!n) fail(map, std::string(what) + " lacks the required key '" + key + "'");
  return n;
}

std::string YamlFile::string(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) fail(node, std::string(what) + " must be a string");
  return node.as<std::string>();
}

// integer(), boolean(): yaml-cpp's decode refuses a non-scalar itself (convert.h).
long YamlFile::integer(const YAML::Node& node, std::string_view what) const {
  long v = 0;
  if (!YAML::convert<long>::decode(node, v)) fail(node, std::string(what) + " must be an integer");
  return v;
}

bool YamlFile::boolean(const YAML::Node& node, std::string_view what) const {
  bool v = false;
  if (!YAML::convert<bool>::decode(node, v)) fail(node, std::string(what) + " must be true or false");
  return v;
}

KernelVersion YamlFile::version(const YAML::Node& node, std::string_view what) const {
  const std::string s = string(node, what);
  std::optional<KernelVersion> v = KernelVersion::parse(s);
  if (!v) fail(node, std::string(what) + " '" + s + "' is not a kernel version like \"6.12\"");
  return *v;
}

std::vector<std::string> YamlFile::string_list(const YAML::Node& node, std::string_view what) const {
  if (!node.IsSequence()) fail(node, std::string(what) + " must be a list");
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(string(item, what));
  return out;
}

}  // namespace kvmct
