// SPDX-License-Identifier: MIT
// Deriving each ISA_EXT register's expected behaviour from the tables.
#include "riscv/expect/isa_ext_expectation.h"

namespace kvmct {

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

  // One operation (enable or disable): refused outright, allowed only if the host has the
  // named extension, or allowed for want of a rule.
  auto decide = [&](const CitedSet& never, const CitedHostRules& requires_host, const char* never_text,
                    bool& allowed, std::string& why) {
    if (never.extensions.count(ext.name)) {
      allowed = false;
      why = std::string(never_text) + " (" + never.cite + ")";
      return;
    }
    auto it = requires_host.rules.find(ext.name);
    if (it == requires_host.rules.end()) {
      allowed = true;
      why = "allowed (no rule in " + policy.source + ")";
      return;
    }
    const Extension* needed = catalogue.by_name(it->second);
    allowed = needed && host_provides(*needed, host_dt);
    why = std::string(allowed ? "allowed: host has " : "refused: host lacks ") + it->second + " (" +
          requires_host.cite + ")";
  };
  decide(policy.never_enable, policy.enable_requires_host, "never enabled", e.enable_allowed, e.enable_why);
  decide(policy.never_disable, policy.disable_requires_host, "never disabled", e.disable_allowed, e.disable_why);
  e.default_on = e.host_has && e.enable_allowed;
  return e;
}

}  // namespace kvmct
