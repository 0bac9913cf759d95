// SPDX-License-Identifier: MIT
// Strict loader of expected/riscv/atomic-traps.yaml.
#include "riscv/expect/atomic_traps.h"

#include <algorithm>

#include "expect/yaml_file.h"

namespace kvmct {
namespace {

std::vector<TrapObservation> parse_observations(const YamlFile& yaml, const YAML::Node& list, const std::string& what) {
  if (!list.IsSequence()) yaml.fail(list, what + " must be a list");
  std::vector<TrapObservation> out;
  for (const YAML::Node& o : list) {
    yaml.only_keys(o, {"since", "outcome"}, what);
    TrapObservation ob{yaml.version(yaml.required(o, "since", what), "since"),
                       yaml.string(yaml.required(o, "outcome", what), "outcome")};
    if (!out.empty() && !(out.back().since < ob.since)) yaml.fail(o, what + " must be in ascending 'since' order");
    out.push_back(ob);
  }
  return out;
}

}  // namespace

const TrapObservation* for_kernel(const std::vector<TrapObservation>& list, const std::optional<KernelVersion>& kernel) {
  const TrapObservation* found = nullptr;
  for (const TrapObservation& o : list)
    if (kernel && !(*kernel < o.since)) found = &o;
  return found;
}

Result<TrapTable> TrapTable::parse(std::string_view text, const std::string& file,
                                   std::span<const std::string_view> scenarios) {
  YamlFile yaml(file);
  return parse_yaml<TrapTable>(yaml, [&] {
    const YAML::Node root = yaml.load(text);
    yaml.only_keys(root, {"known_bugs", "cases"}, "the file");
    TrapTable out;
    if (const YAML::Node bugs = root["known_bugs"]) {
      for (const auto& kv : bugs) {
        const std::string id = kv.first.as<std::string>();
        yaml.only_keys(kv.second, {"platform", "owner", "summary", "details"}, "known bug " + id);
        const YAML::Node owner_node = yaml.required(kv.second, "owner", id);
        const std::string owner = yaml.string(owner_node, "owner");
        const std::optional<Owner> parsed = parse_owner(owner);
        if (!parsed) yaml.fail(owner_node, "owner '" + owner + "' is not one of " + std::string(kOwnerChoices));
        out.bugs[id] = {yaml.string(yaml.required(kv.second, "platform", id), "platform"), *parsed,
                        yaml.string(yaml.required(kv.second, "summary", id), "summary"),
                        yaml.string(yaml.required(kv.second, "details", id), "details")};
      }
    }
    const YAML::Node cases = yaml.required(root, "cases", "the file");
    for (const auto& kv : cases) {
      const std::string name = kv.first.as<std::string>();
      if (std::find(scenarios.begin(), scenarios.end(), name) == scenarios.end())
        yaml.fail(kv.first, name + " is not a scenario of the traps payload (guest-payloads/riscv/traps/trap_scenarios.h)");
      yaml.only_keys(kv.second, {"allowed", "allowed_if_host_has", "observed", "known_bug"}, name);
      TrapExpectation e;
      e.where = yaml.where(kv.first);
      e.allowed = yaml.string_list(yaml.required(kv.second, "allowed", name), name + " allowed");
      if (const YAML::Node extra = kv.second["allowed_if_host_has"])
        for (const auto& ext : extra)
          e.allowed_if_host_has[ext.first.as<std::string>()] = yaml.string_list(ext.second, name + " allowed_if_host_has");
      if (const YAML::Node obs = kv.second["observed"]) e.observed = parse_observations(yaml, obs, name + " observed");
      if (const YAML::Node kb = kv.second["known_bug"]) {
        yaml.only_keys(kb, {"bug", "outcomes"}, name + " known_bug");
        KnownBugOutcome k{yaml.string(yaml.required(kb, "bug", name), "bug"),
                          parse_observations(yaml, yaml.required(kb, "outcomes", name), name + " known_bug outcomes"),
                          yaml.where(kb)};
        if (!out.bugs.count(k.bug)) yaml.fail(kb, name + " names unknown bug '" + k.bug + "' (see known_bugs)");
        e.known_bug = std::move(k);
      }
      if (!out.cases.emplace(name, std::move(e)).second) yaml.fail(kv.first, name + " is listed twice");
    }
    for (std::string_view s : scenarios)
      if (!out.cases.count(s)) yaml.fail(cases, std::string(s) + " has no case: say which outcomes it may have");
    return out;
  });
}

}  // namespace kvmct
