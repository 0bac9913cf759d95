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

IsaExtExpectation expect_isa_ext(const Extension& ext, const Catalogue& catalogue, const ReleasePolicy& policy,
                                 const std::set<std::string>& host_dt, const KernelVersion& kernel) {
  IsaExtExpectation e;
  e.host_has = host_provides(ext, host_dt);
  if (!e.host_has)
    e.presence = Presence::Absent;
  else
    e.presence = kernel >= ext.since ? Presence::Required : Presence::Optional;

  // One operation (enable or disable): refused outright, allowed only if the host has the
  // named extension, or allowed for want of a rule.
  auto decide = [&](const std::map<std::string, OpRule>& rules, const char* op, bool& allowed, std::string& why,
                    OpRule& rule) {
    auto it = rules.find(ext.name);
    if (it == rules.end()) {
      allowed = true;
      why = std::string(op) + " allowed (no rule at " + policy.release.name() + ")";
      return;
    }
    rule = it->second;
    if (rule.kind == OpKind::Never) {
      allowed = false;
    } else {
      const Extension* needed = catalogue.by_name(rule.host);
      allowed = needed && host_provides(*needed, host_dt);
    }
    why = rule.describe(op);
    if (rule.kind == OpKind::RequiresHost) why += allowed ? ": host has it" : ": host lacks it";
  };
  decide(policy.enable, "enable", e.enable_allowed, e.enable_why, e.enable_rule);
  decide(policy.disable, "disable", e.disable_allowed, e.disable_why, e.disable_rule);
  e.default_on = e.host_has && e.enable_allowed;
  const ErrnoRegime& r = policy.errno_regime;
  auto name = [](int err) { return err ? Error::errno_name(err) : std::string("ok"); };
  const std::string refused = name(r.refused);  // 0 when refusals are ignored (5.19)
  e.enable_outcome = e.enable_allowed ? "ok" : refused;
  e.disable_outcome = e.disable_allowed ? "ok" : refused;
  e.after_run_outcome = name(r.changed_after_run);
  e.same_value_after_run_outcome = name(r.same_value_after_run);
  return e;
}

}  // namespace kvmct
