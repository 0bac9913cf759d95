// SPDX-License-Identifier: MIT
// Loading and validating expected/riscv/policy.yaml.
#include "riscv/expect/policy.h"

#include <algorithm>

#include "expect/yaml_file.h"

namespace kvmct {
namespace {

void check_known(const YamlFile& y, const YAML::Node& at, const Catalogue& cat, const std::string& name,
                 std::string_view what) {
  if (!cat.by_name(name))
    y.fail(at, std::string(what) + " names '" + name + "', which is not in " + cat.file());
}

CitedSet cited_set(const YamlFile& y, const YAML::Node& n, const Catalogue& cat, std::string_view what) {
  CitedSet out;
  if (!n) return out;
  y.only_keys(n, {"cite", "extensions"}, what);
  out.cite = y.string(y.required(n, "cite", what), "cite");
  const YAML::Node list = y.required(n, "extensions", what);
  if (!list.IsSequence()) y.fail(list, std::string(what) + " extensions must be a list");
  for (const YAML::Node& item : list) {
    const std::string name = y.string(item, what);
    check_known(y, item, cat, name, what);
    if (!out.extensions.insert(name).second) y.fail(item, std::string(what) + " lists " + name + " twice");
  }
  return out;
}

CitedHostRules cited_rules(const YamlFile& y, const YAML::Node& n, const Catalogue& cat, std::string_view what) {
  CitedHostRules out;
  if (!n) return out;
  y.only_keys(n, {"cite", "rules"}, what);
  out.cite = y.string(y.required(n, "cite", what), "cite");
  const YAML::Node rules = y.required(n, "rules", what);
  if (!rules.IsMap()) y.fail(rules, std::string(what) + " rules must be a mapping EXT: HOST_EXT");
  for (const auto& kv : rules) {
    const std::string ext = y.string(kv.first, what);
    const std::string host = y.string(kv.second, what);
    check_known(y, kv.first, cat, ext, what);
    check_known(y, kv.second, cat, host, what);
    out.rules[ext] = host;
  }
  return out;
}

std::set<char> letters(const YamlFile& y, const YAML::Node& n, std::string_view what) {
  std::set<char> out;
  if (!n) return out;
  for (const std::string& s : y.string_list(n, what)) {
    if (s.size() != 1 || s[0] < 'a' || s[0] > 'z') y.fail(n, std::string(what) + " entries must be single letters a..z");
    out.insert(s[0]);
  }
  return out;
}

}  // namespace

std::string PolicyRange::range_text() const {
  return ">= " + from.to_string() + (before ? ", < " + before->to_string() : "");
}

Result<Policy> Policy::parse(std::string_view text, const std::string& file, const Catalogue& cat) {
  YamlFile y(file);
  return parse_yaml<Policy>(y, [&]() -> Policy {
    YAML::Node root = y.load(text);
    y.only_keys(root, {"policies"}, "the policy file");
    YAML::Node list = y.required(root, "policies", "the policy file");
    if (!list.IsSequence() || list.size() == 0) y.fail(list, "'policies' must be a non-empty list");
    Policy p;
    p.file_ = file;
    for (const YAML::Node& n : list) {
      y.only_keys(n, {"kernels", "source", "never_disable", "disable_requires_host", "never_enable",
                      "enable_requires_host", "config_isa"},
                  "a policy range");
      PolicyRange r;
      r.line = static_cast<int>(n.Mark().line) + 1;
      const YAML::Node k = y.required(n, "kernels", "a policy range");
      y.only_keys(k, {"from", "before"}, "kernels");
      r.from = y.version(y.required(k, "from", "kernels"), "from");
      if (k["before"]) {
        r.before = y.version(k["before"], "before");
        if (!(r.from < *r.before)) y.fail(k, "empty kernel range " + r.range_text());
      }
      r.source = y.string(y.required(n, "source", "a policy range"), "source");
      r.never_disable = cited_set(y, n["never_disable"], cat, "never_disable");
      r.disable_requires_host = cited_rules(y, n["disable_requires_host"], cat, "disable_requires_host");
      r.never_enable = cited_set(y, n["never_enable"], cat, "never_enable");
      r.enable_requires_host = cited_rules(y, n["enable_requires_host"], cat, "enable_requires_host");
      if (const YAML::Node c = n["config_isa"]) {
        y.only_keys(c, {"cite", "forced_on", "forced_off"}, "config_isa");
        r.config_isa.cite = y.string(y.required(c, "cite", "config_isa"), "cite");
        r.config_isa.forced_on = letters(y, c["forced_on"], "forced_on");
        r.config_isa.forced_off = letters(y, c["forced_off"], "forced_off");
      }
      for (const std::string& e : r.never_disable.extensions)
        if (r.disable_requires_host.rules.count(e))
          y.fail(n, e + " is both never_disable and disable_requires_host in range " + r.range_text());
      for (const std::string& e : r.never_enable.extensions)
        if (r.enable_requires_host.rules.count(e))
          y.fail(n, e + " is both never_enable and enable_requires_host in range " + r.range_text());
      p.ranges_.push_back(std::move(r));
    }
    std::sort(p.ranges_.begin(), p.ranges_.end(), [](const PolicyRange& a, const PolicyRange& b) { return a.from < b.from; });
    for (size_t i = 0; i + 1 < p.ranges_.size(); ++i) {
      const PolicyRange& a = p.ranges_[i];
      const PolicyRange& b = p.ranges_[i + 1];
      if (!a.before || b.from < *a.before)
        throw YamlError(file + ":" + std::to_string(b.line) + ": kernel range " + b.range_text() +
                        " overlaps the range " + a.range_text() + " at line " + std::to_string(a.line));
    }
    return p;
  });
}

Result<PolicySelection> Policy::select(const KernelVersion& kernel) const {
  for (const PolicyRange& r : ranges_)
    if (r.contains(kernel)) return PolicySelection{&r, false};
  const PolicyRange& newest = ranges_.back();
  if (!newest.before || !(kernel < *newest.before)) {
    if (newest.from <= kernel) return PolicySelection{&newest, true};
  }
  return Error{0, file_ + ": no policy range covers kernel " + kernel.to_string() + " (ranges start at " +
                      ranges_.front().from.to_string() + "); add one from that kernel's arch/riscv/kvm source"};
}

}  // namespace kvmct
