// SPDX-License-Identifier: MIT
// Strict loader of expected/riscv/isa-dependencies.yaml and the rule evaluation.
#include "riscv/expect/isa_dependencies.h"

#include <algorithm>
#include <set>

#include "expect/yaml_file.h"

namespace kvmct {
namespace {

// Names of a `when`/`requires`/`implies` list: each in the catalogue, none the rule's own
// extension, none twice.
std::vector<std::string> name_list(const YamlFile& y, const YAML::Node& rule, const char* key,
                                   const std::string& self, const Catalogue& cat) {
  if (!rule[key]) return {};
  const YAML::Node list = rule[key];
  if (!list.IsSequence()) y.fail(list, std::string(key) + " must be a list of extension names");
  std::vector<std::string> out;
  for (const YAML::Node& n : list) {
    const std::string name = y.string(n, key);
    if (!cat.by_name(name)) y.fail(n, std::string(key) + " names '" + name + "', not in " + cat.file());
    if (name == self) y.fail(n, self + " " + key + " itself");
    if (std::find(out.begin(), out.end(), name) != out.end()) y.fail(n, std::string(key) + " lists " + name + " twice");
    out.push_back(name);
  }
  return out;
}

// The first cycle of requires/implies edges, as "A -> B -> A", or "" when there is none.
std::string find_cycle(const std::vector<DependencyRule>& rules) {
  std::map<std::string, std::set<std::string>> edges;
  for (const DependencyRule& r : rules) {
    for (const std::string& n : r.needs) edges[r.extension].insert(n);
    for (const std::string& n : r.implies) edges[r.extension].insert(n);
  }
  enum class Mark { Open, Done };
  std::map<std::string, Mark> marks;
  std::vector<std::string> path;
  std::string cycle;
  auto visit = [&](auto& self, const std::string& at) -> bool {
    if (auto m = marks.find(at); m != marks.end()) {
      if (m->second == Mark::Done) return false;
      auto from = std::find(path.begin(), path.end(), at);
      for (auto it = from; it != path.end(); ++it) cycle += *it + " -> ";
      cycle += at;
      return true;
    }
    marks[at] = Mark::Open;
    path.push_back(at);
    for (const std::string& next : edges[at])
      if (self(self, next)) return true;
    path.pop_back();
    marks[at] = Mark::Done;
    return false;
  };
  for (const auto& [from, to] : edges)
    if (visit(visit, from)) return cycle;
  return "";
}

}  // namespace

std::string DependencyViolation::rule_name() const {
  std::string name = rule->extension;
  for (const std::string& w : rule->when) name += " with " + w;
  return name + " " + relation + " " + missing;
}

Result<Dependencies> Dependencies::parse(std::string_view text, const std::string& file, const Catalogue& cat) {
  YamlFile y(file);
  return parse_yaml<Dependencies>(y, [&]() -> Dependencies {
    const YAML::Node root = y.load(text);
    y.only_keys(root, {"rules"}, "the dependency file");
    const YAML::Node list = y.required(root, "rules", "the dependency file");
    if (!list.IsSequence()) y.fail(list, "'rules' must be a list");
    Dependencies out;
    for (const YAML::Node& n : list) {
      y.only_keys(n, {"extension", "when", "requires", "implies", "manual", "kernel", "differs"}, "a rule");
      DependencyRule r;
      r.source = y.where(n);
      r.extension = y.string(y.required(n, "extension", "a rule"), "extension");
      if (!cat.by_name(r.extension)) y.fail(n, "rule for '" + r.extension + "', not in " + cat.file());
      r.when = name_list(y, n, "when", r.extension, cat);
      r.needs = name_list(y, n, "requires", r.extension, cat);
      r.implies = name_list(y, n, "implies", r.extension, cat);
      if (r.needs.empty() && r.implies.empty()) y.fail(n, "rule for " + r.extension + " needs requires or implies");
      r.manual = y.string(y.required(n, "manual", "a rule"), "manual");
      if (r.manual.empty()) y.fail(n, "rule for " + r.extension + " needs the manual's definition");
      const YAML::Node kernel = y.required(n, "kernel", "a rule");
      if (!kernel.IsMap() || kernel.size() == 0)
        y.fail(kernel, "kernel must map Debian versions to cpufeature.c citations");
      for (const auto& kv : kernel) {
        const std::string cite = y.string(kv.second, "a kernel citation");
        if (cite.empty()) y.fail(kv.second, "an empty kernel citation (write \"none: ...\" when the kernel has no rule)");
        r.kernel[y.string(kv.first, "a Debian version")] = cite;
      }
      if (n["differs"]) r.differs = y.string(n["differs"], "differs");
      out.rules_.push_back(std::move(r));
    }
    if (const std::string cycle = find_cycle(out.rules_); !cycle.empty())
      y.fail(list, "the rules form a cycle: " + cycle);
    return out;
  });
}

std::vector<DependencyViolation> Dependencies::violations(const std::map<std::string, bool>& advertised) const {
  auto on = [&](const std::string& name) {
    auto it = advertised.find(name);
    return it != advertised.end() && it->second;
  };
  auto off = [&](const std::string& name) {
    auto it = advertised.find(name);
    return it != advertised.end() && !it->second;
  };
  std::vector<DependencyViolation> out;
  for (const DependencyRule& r : rules_) {
    if (!on(r.extension) || !std::all_of(r.when.begin(), r.when.end(), on)) continue;
    for (const std::string& n : r.needs)
      if (off(n)) out.push_back({&r, "requires", n});
    for (const std::string& n : r.implies)
      if (off(n)) out.push_back({&r, "implies", n});
  }
  return out;
}

}  // namespace kvmct
