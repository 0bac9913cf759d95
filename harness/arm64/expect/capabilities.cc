// SPDX-License-Identifier: MIT
// Strict loader of expected/arm64/capabilities.yaml and the expected value of a capability.
#include "arm64/expect/capabilities.h"

#include "expect/yaml_file.h"

namespace kvmct::arm64 {

Result<CapabilityTable> CapabilityTable::parse(std::string_view text, const std::string& file) {
  YamlFile yaml(file);
  return parse_yaml<CapabilityTable>(yaml, [&] {
    const YAML::Node root = yaml.load(text);
    yaml.only_keys(root, {"capabilities"}, "the file");
    const YAML::Node caps = yaml.required(root, "capabilities", "the file");
    if (!caps.IsMap()) yaml.fail(caps, "capabilities must be a map of KVM_CAP_* names");
    CapabilityTable out;
    for (const auto& kv : caps) {
      const std::string name = kv.first.as<std::string>();
      if (name.rfind("KVM_CAP_", 0) != 0) yaml.fail(kv.first, name + " is not a KVM_CAP_* name");
      yaml.only_keys(kv.second, {"id", "since", "value", "host_has", "source"}, name);
      CapabilityRule r;
      r.name = name;
      r.id = yaml.integer(yaml.required(kv.second, "id", name), name + " id");
      if (r.id <= 0) yaml.fail(kv.second["id"], name + ": id must be positive");
      for (const CapabilityRule& other : out.rules_)
        if (other.id == r.id) yaml.fail(kv.second["id"], name + ": id " + std::to_string(r.id) + " is also " + other.name);
      r.since = yaml.version(yaml.required(kv.second, "since", name), name + " since");
      if (const YAML::Node v = kv.second["value"]) {
        r.value = yaml.integer(v, name + " value");
        if (r.value == 0) yaml.fail(v, name + ": value 0 says nothing; a capability that applies is non-zero");
      }
      if (const YAML::Node h = kv.second["host_has"]) r.host_has = yaml.string_list(h, name + " host_has");
      r.source = yaml.string(yaml.required(kv.second, "source", name), name + " source");
      out.rules_.push_back(std::move(r));
    }
    return out;
  });
}

const CapabilityRule* CapabilityTable::find(std::string_view name) const {
  for (const CapabilityRule& r : rules_)
    if (r.name == name) return &r;
  return nullptr;
}

CapabilityExpectation expect_capability(const CapabilityRule& rule, const KernelVersion& kernel,
                                        const std::set<std::string>& host_features) {
  const std::string cite = " (" + rule.source + ")";
  if (kernel < rule.since) return {0, "absent before " + rule.since.to_string() + cite};
  for (const std::string& f : rule.host_has)
    if (!host_features.count(f)) return {0, "the host lacks '" + f + "' (/proc/cpuinfo Features)" + cite};
  std::string why = "since " + rule.since.to_string();
  for (const std::string& f : rule.host_has) why += ", host has " + f;
  return {rule.value, why + cite};
}

}  // namespace kvmct::arm64
