// SPDX-License-Identifier: MIT
// Deriving each ISA_EXT register's expected behaviour from the tables.
#include "expect/isa_ext_expectation.h"

namespace kvmct {

const char* to_string(Presence p) {
  switch (p) {
    case Presence::Required: return "required";
    case Presence::Absent: return "absent";
    case Presence::Optional: return "optional";
  }
  return "?";
}

bool host_provides(const Extension& ext, const std::set<std::string>& host_dt) {
  for (const std::string& alternative : ext.host) {
    bool all = true;
    size_t pos = 0;
    while (pos <= alternative.size()) {
      size_t plus = alternative.find('+', pos);
      if (plus == std::string::npos) plus = alternative.size();
      if (!host_dt.count(alternative.substr(pos, plus - pos))) all = false;
      pos = plus + 1;
    }
    if (all) return true;
  }
  return false;
}

IsaExtExpectation expect_isa_ext(const Extension& ext, const Catalogue& catalogue, const PolicyRange& policy,
                                 const std::set<std::string>& host_dt, const KernelVersion& kernel) {
  IsaExtExpectation e;
  e.host_has = host_provides(ext, host_dt);
  if (!e.host_has)
    e.presence = Presence::Absent;
  else
    e.presence = kernel >= ext.since ? Presence::Required : Presence::Optional;

  // A rule "allowed only if the host has X" is decided by the host's device tree.
  auto host_rule = [&](const CitedHostRules& rules, bool& allowed, std::string& why) {
    auto it = rules.rules.find(ext.name);
    if (it == rules.rules.end()) return false;
    const Extension* needed = catalogue.by_name(it->second);
    allowed = needed && host_provides(*needed, host_dt);
    why = std::string(allowed ? "allowed: host has " : "refused: host lacks ") + it->second + " (" + rules.cite + ")";
    return true;
  };

  if (policy.never_enable.extensions.count(ext.name)) {
    e.enable_allowed = false;
    e.enable_why = "never enabled (" + policy.never_enable.cite + ")";
  } else if (!host_rule(policy.enable_requires_host, e.enable_allowed, e.enable_why)) {
    e.enable_allowed = true;
    e.enable_why = "allowed (no rule in " + policy.source + ")";
  }
  if (policy.never_disable.extensions.count(ext.name)) {
    e.disable_allowed = false;
    e.disable_why = "never disabled (" + policy.never_disable.cite + ")";
  } else if (!host_rule(policy.disable_requires_host, e.disable_allowed, e.disable_why)) {
    e.disable_allowed = true;
    e.disable_why = "allowed (no rule in " + policy.source + ")";
  }
  e.default_on = e.host_has && e.enable_allowed;
  return e;
}

}  // namespace kvmct
