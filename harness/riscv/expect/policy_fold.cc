// SPDX-License-Identifier: MIT
// Folding the rule changes of expected/riscv/policy.yaml into one release's effective policy,
// and choosing the release for a kernel version.
#include "expect/release_range.h"
#include "riscv/expect/policy.h"

namespace kvmct {

std::string_view provenance_name(Provenance p) { return p == Provenance::Verified ? "verified" : "derived"; }

std::string_view range_check_name(ConfigRangeCheck c) {
  switch (c) {
    case ConfigRangeCheck::None: return "none";
    case ConfigRangeCheck::EveryConfigReg: return "every_config_reg";
    case ConfigRangeCheck::Isa: return "isa";
  }
  return "?";
}

std::string Citation::text() const {
  if (!source.empty()) return source;
  std::string out;
  for (const std::string& c : commits) out += (out.empty() ? "" : " ") + c;
  return out;
}

std::string Release::name() const { return std::to_string(version.major) + "." + std::to_string(version.minor); }

std::string OpRule::describe(std::string_view op) const {
  const std::string since_text = std::to_string(since.major) + "." + std::to_string(since.minor);
  const std::string cite = " (" + std::string(provenance_name(citation.provenance())) + ": " + citation.text() + ")";
  switch (kind) {
    case OpKind::Allowed: return std::string(op) + " allowed (no rule)";
    case OpKind::Never: return "never-" + std::string(op) + " since " + since_text + cite;
    case OpKind::RequiresHost: return std::string(op) + " requires host " + host + " since " + since_text + cite;
  }
  return "?";
}

std::string ReleasePolicy::label() const {
  return release.name() + " (" + std::string(provenance_name(release.provenance)) + ": " + release.citation.text() + ")";
}

const Release* Policy::release(const KernelVersion& v) const {
  for (const Release& r : releases_)
    if (r.version.major == v.major && r.version.minor == v.minor) return &r;
  return nullptr;
}

ReleasePolicy Policy::at(const Release& r) const {
  ReleasePolicy out;
  out.release = r;
  out.errno_regime = regimes_.at(r.errno_regime);
  for (const auto& [ext, changes] : rules_) {
    OpRule disable, enable;
    std::string shares;
    for (const RuleChange& c : changes) {
      if (r.version < c.since) break;
      if (c.disable) disable = *c.disable;
      if (c.enable) enable = *c.enable;
      if (c.shares_bit) shares = *c.shares_bit;
    }
    if (disable.kind != OpKind::Allowed) out.disable[ext] = disable;
    if (enable.kind != OpKind::Allowed) out.enable[ext] = enable;
    if (!shares.empty()) out.shares_bit[ext] = shares;
  }
  // A letter is forced on when its extension is never disabled, forced off when the release
  // has no id for it or never enables it (KVM clears letters it has no id for).
  std::set<char> known;
  for (const auto& [name, letter] : letters_)
    if (letter.second <= r.version) known.insert(letter.first);
  for (char l = 'a'; l <= 'y'; ++l)
    if (!known.count(l)) out.config_isa.forced_off.insert(l);
  for (const auto& [name, letter] : letters_) {
    if (!known.count(letter.first)) continue;
    auto d = out.disable.find(name);
    if (d != out.disable.end() && d->second.kind == OpKind::Never) out.config_isa.forced_on.insert(letter.first);
    auto e = out.enable.find(name);
    if (e != out.enable.end() && e->second.kind == OpKind::Never) out.config_isa.forced_off.insert(letter.first);
  }
  out.config_isa.range_check = r.config_isa.range_check;
  out.config_isa.cite = r.config_isa.citation.text();
  return out;
}

Result<PolicySelection> Policy::select(const KernelVersion& kernel) const {
  std::vector<ReleaseRange> ranges;
  for (const Release& r : releases_) ranges.push_back({r.version, r.version});
  const RangePick pick = pick_range(ranges, kernel);
  switch (pick.match) {
    case RangeMatch::OlderThanAll:
      return Error{0, file_ + ": kernel " + kernel.to_string() + " is older than the first release in the tables (" +
                          releases_.front().name() + ", the first ISA_EXT ONE_REG release)"};
    case RangeMatch::NewerThanAll:
      return PolicySelection{at(releases_.back()), kernel, true};
    case RangeMatch::InGap:
      return Error{0, file_ + ": kernel " + kernel.to_string() + " names no release of the tables (" +
                          std::to_string(kernel.major) + "." + std::to_string(kernel.minor) + " is not a mainline release)"};
    case RangeMatch::Inside:
      break;
  }
  return PolicySelection{at(releases_[pick.index]), kernel, false};
}

}  // namespace kvmct
