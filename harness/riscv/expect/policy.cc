// SPDX-License-Identifier: MIT
// Loading and validating expected/riscv/policy.yaml: errno regimes, releases and rule changes.
#include "riscv/expect/policy.h"

#include <cerrno>
#include <regex>

#include "expect/yaml_file.h"

namespace kvmct {
namespace {

const std::regex kCommitId("[0-9a-f]{12}");
// A Debian kernel source package and a file in it.
const std::regex kDebianSource("Debian linux-source-[0-9]+\\.[0-9]+ [^,]+, arch/riscv/.+");

void check_known(const YamlFile& y, const YAML::Node& at, const Catalogue& cat, const std::string& name,
                 std::string_view what) {
  if (!cat.by_name(name))
    y.fail(at, std::string(what) + " names '" + name + "', which is not in " + cat.file());
}

// commits / source / note of a map; at least one of commits and source.
Citation citation(const YamlFile& y, const YAML::Node& n, std::string_view what) {
  Citation c;
  if (n["commits"]) {
    c.commits = y.string_list(n["commits"], "commits");
    for (const std::string& id : c.commits)
      if (!std::regex_match(id, kCommitId))
        y.fail(n["commits"], std::string(what) + ": '" + id + "' is not a 12-hex-digit commit id");
  }
  if (n["source"]) {
    c.source = y.string(n["source"], "source");
    if (!std::regex_match(c.source, kDebianSource))
      y.fail(n["source"], std::string(what) + ": source '" + c.source +
                              "' does not name 'Debian linux-source-X.Y VERSION, arch/riscv/FILE'");
  }
  if (n["note"]) c.note = y.string(n["note"], "note");
  if (c.commits.empty() && c.source.empty())
    y.fail(n, std::string(what) + " has no citation: give commits: [12-hex ids] or source: a Debian linux-source file");
  return c;
}

int errno_value(const YamlFile& y, const YAML::Node& n, std::string_view what, bool* ignored = nullptr) {
  const std::string s = y.string(n, what);
  static const std::map<std::string, int> names = {
      {"ok", 0}, {"EINVAL", EINVAL}, {"ENOENT", ENOENT}, {"EBUSY", EBUSY}, {"EOPNOTSUPP", EOPNOTSUPP}};
  if (ignored && s == "ignored") {
    *ignored = true;
    return 0;
  }
  auto it = names.find(s);
  if (it == names.end()) y.fail(n, std::string(what) + " '" + s + "' is not ok, EINVAL, ENOENT, EBUSY or EOPNOTSUPP");
  return it->second;
}

ErrnoRegime regime(const YamlFile& y, const std::string& name, const YAML::Node& n) {
  y.only_keys(n, {"unknown_id", "host_lacks_get", "host_lacks_set", "refused", "changed_after_run",
                  "same_value_after_run", "commits", "source", "note"},
              "an errno regime");
  ErrnoRegime r;
  r.name = name;
  auto field = [&](const char* key) { return y.required(n, key, "errno regime " + name); };
  r.unknown_id = errno_value(y, field("unknown_id"), "unknown_id");
  r.host_lacks_get = errno_value(y, field("host_lacks_get"), "host_lacks_get");
  r.host_lacks_set = errno_value(y, field("host_lacks_set"), "host_lacks_set");
  r.refused = errno_value(y, field("refused"), "refused", &r.refusal_ignored);
  r.changed_after_run = errno_value(y, field("changed_after_run"), "changed_after_run");
  r.same_value_after_run = errno_value(y, field("same_value_after_run"), "same_value_after_run");
  r.citation = citation(y, n, "errno regime " + name);
  return r;
}

ConfigIsaSpec config_isa(const YamlFile& y, const YAML::Node& n) {
  y.only_keys(n, {"range_check", "commits", "source", "note"}, "config_isa");
  ConfigIsaSpec c;
  const YAML::Node check = y.required(n, "range_check", "config_isa");
  const std::string s = y.string(check, "range_check");
  if (s == "none") c.range_check = ConfigRangeCheck::None;
  else if (s == "every_config_reg") c.range_check = ConfigRangeCheck::EveryConfigReg;
  else if (s == "isa") c.range_check = ConfigRangeCheck::Isa;
  else y.fail(check, "range_check '" + s + "' is not none, every_config_reg or isa");
  c.citation = citation(y, n, "config_isa");
  return c;
}

Release parse_release(const YamlFile& y, const YAML::Node& n, const std::map<std::string, ErrnoRegime>& regimes) {
  y.only_keys(n, {"release", "provenance", "commits", "source", "note", "isa_ext_max", "multi_reg_last", "errno",
                  "config_isa"},
              "a release");
  Release r;
  r.line = static_cast<int>(n.Mark().line) + 1;
  const YAML::Node v = y.required(n, "release", "a release");
  r.version = y.version(v, "release");
  if (r.version.patch != 0) y.fail(v, "release '" + y.string(v, "release") + "' must be major.minor");
  const std::string what = "release " + r.name();
  const YAML::Node prov = y.required(n, "provenance", what);
  const std::string p = y.string(prov, "provenance");
  r.citation = citation(y, n, what);
  if (p == "verified") {
    r.provenance = Provenance::Verified;
    if (r.citation.source.empty()) y.fail(prov, what + " is verified but names no Debian source it was read in");
  } else if (p == "derived") {
    r.provenance = Provenance::Derived;
    if (r.citation.commits.empty()) y.fail(prov, what + " is derived but cites no commit");
  } else {
    y.fail(prov, what + ": provenance '" + p + "' is not verified or derived");
  }
  const long max = y.integer(y.required(n, "isa_ext_max", what), "isa_ext_max");
  if (max <= 0 || max > 0xffff) y.fail(n["isa_ext_max"], what + ": isa_ext_max " + std::to_string(max) + " is out of range");
  r.isa_ext_max = static_cast<uint32_t>(max);
  if (n["multi_reg_last"]) {
    const long last = y.integer(n["multi_reg_last"], "multi_reg_last");
    // KVM_REG_RISCV_ISA_MULTI_REG_LAST = (MAX - 1) / 64 on rv64.
    if (last != (max - 1) / 64)
      y.fail(n["multi_reg_last"], what + ": multi_reg_last " + std::to_string(last) + " is not (isa_ext_max - 1) / 64 = " +
                                      std::to_string((max - 1) / 64));
    r.multi_reg_last = static_cast<uint32_t>(last);
  }
  if (n["errno"]) {
    r.errno_regime = y.string(n["errno"], "errno");
    if (!regimes.count(r.errno_regime)) y.fail(n["errno"], what + ": errno regime '" + r.errno_regime + "' is not defined");
  }
  if (n["config_isa"]) r.config_isa = config_isa(y, n["config_isa"]);
  return r;
}

// `never`, `allowed` or {host: EXT}.
OpRule op_rule(const YamlFile& y, const YAML::Node& n, const Catalogue& cat, std::string_view what) {
  OpRule r;
  if (n.IsScalar()) {
    const std::string s = y.string(n, what);
    if (s == "never") r.kind = OpKind::Never;
    else if (s == "allowed") r.kind = OpKind::Allowed;
    else y.fail(n, std::string(what) + " '" + s + "' is not never, allowed or {host: EXT}");
    return r;
  }
  y.only_keys(n, {"host"}, what);
  r.kind = OpKind::RequiresHost;
  r.host = y.string(y.required(n, "host", what), "host");
  check_known(y, n["host"], cat, r.host, what);
  return r;
}

RuleChange change(const YamlFile& y, const YAML::Node& n, const Catalogue& cat, const Extension& ext) {
  const std::string what = "rule of " + ext.name;
  y.only_keys(n, {"since", "disable", "enable", "shares_bit", "commits", "source", "note"}, what);
  RuleChange c;
  c.line = static_cast<int>(n.Mark().line) + 1;
  c.since = y.version(y.required(n, "since", what), "since");
  if (c.since < ext.since)
    y.fail(n, what + " changes at " + c.since.to_string() + ", before the id exists (since " + ext.since.to_string() + ")");
  c.citation = citation(y, n, what);
  if (n["disable"]) c.disable = op_rule(y, n["disable"], cat, what + " disable");
  if (n["enable"]) c.enable = op_rule(y, n["enable"], cat, what + " enable");
  for (std::optional<OpRule>* op : {&c.disable, &c.enable})
    if (*op) {
      (*op)->since = c.since;
      (*op)->citation = c.citation;
    }
  if (n["shares_bit"]) {
    const std::string other = y.string(n["shares_bit"], "shares_bit");
    if (other != "none") check_known(y, n["shares_bit"], cat, other, what + " shares_bit");
    c.shares_bit = other == "none" ? "" : other;
  }
  if (!c.disable && !c.enable && !c.shares_bit) y.fail(n, what + " at " + c.since.to_string() + " changes nothing");
  return c;
}

}  // namespace

Result<Policy> Policy::parse(std::string_view text, const std::string& file, const Catalogue& cat) {
  YamlFile y(file);
  return parse_yaml<Policy>(y, [&]() -> Policy {
    YAML::Node root = y.load(text);
    y.only_keys(root, {"errno_regimes", "releases", "rules"}, "the policy file");
    Policy p;
    p.file_ = file;
    const YAML::Node regimes = y.required(root, "errno_regimes", "the policy file");
    if (!regimes.IsMap()) y.fail(regimes, "'errno_regimes' must be a mapping NAME: {...}");
    for (const auto& kv : regimes) {
      const std::string name = y.string(kv.first, "errno regime name");
      p.regimes_[name] = regime(y, name, kv.second);
    }
    const YAML::Node list = y.required(root, "releases", "the policy file");
    if (!list.IsSequence() || list.size() == 0) y.fail(list, "'releases' must be a non-empty list");
    for (const YAML::Node& n : list) {
      Release r = parse_release(y, n, p.regimes_);
      if (p.releases_.empty()) {
        if (r.errno_regime.empty()) y.fail(n, "the first release must name its errno regime");
        if (r.config_isa.citation.commits.empty() && r.config_isa.citation.source.empty())
          y.fail(n, "the first release must give its config_isa");
      } else {
        const Release& prev = p.releases_.back();
        if (!(prev.version < r.version))
          y.fail(n, "release " + r.name() + " is not after release " + prev.name() + " (line " +
                        std::to_string(prev.line) + "): releases go oldest first, once each");
        if (r.isa_ext_max < prev.isa_ext_max)
          y.fail(n, "release " + r.name() + " has fewer ids than " + prev.name() + ": ids are append-only");
        if (prev.multi_reg_last && !r.multi_reg_last)
          y.fail(n, "release " + r.name() + " drops multi_reg_last, which " + prev.name() + " has");
        if (r.errno_regime.empty()) r.errno_regime = prev.errno_regime;
        if (r.config_isa.citation.commits.empty() && r.config_isa.citation.source.empty()) r.config_isa = prev.config_isa;
      }
      p.releases_.push_back(std::move(r));
    }
    if (const YAML::Node rules = root["rules"]) {
      if (!rules.IsMap()) y.fail(rules, "'rules' must be a mapping EXTENSION: [changes]");
      for (const auto& kv : rules) {
        const std::string name = y.string(kv.first, "extension");
        check_known(y, kv.first, cat, name, "rules");
        const YAML::Node changes = kv.second;
        if (!changes.IsSequence() || changes.size() == 0) y.fail(changes, "rules of " + name + " must be a non-empty list");
        std::vector<RuleChange>& out = p.rules_[name];
        for (const YAML::Node& n : changes) {
          RuleChange c = change(y, n, cat, *cat.by_name(name));
          if (!p.release(c.since))
            y.fail(n, "rule of " + name + " changes at " + c.since.to_string() + ", which is not a release in 'releases'");
          if (!out.empty() && !(out.back().since < c.since))
            y.fail(n, "rules of " + name + " must go oldest first, one change per release");
          out.push_back(std::move(c));
        }
      }
    }
    for (const Extension& e : cat.extensions())
      if (e.letter) p.letters_[e.name] = {*e.letter, e.since};
    return p;
  });
}

}  // namespace kvmct
