// SPDX-License-Identifier: MIT
// The host-managed fields: each filter of the tables that changes what the guest reads, and on
// which VM it does so, read in the kernel sources named by the filters' `cite`.
#include "arm64/expect/guest_view.h"

#include <vector>

namespace kvmct {
namespace {

uint64_t field_of(const IdRegField& f, uint64_t reg) { return (reg & f.mask()) >> f.lsb; }

// How one filter acts on this VM's field.
struct ViewEffect {
  enum { None, Sets, Unknown } kind = None;
  uint64_t value = 0;  // Sets: the field value after the filter
  std::string why;     // Sets: the reason; Unknown: why it cannot be evaluated
};

ViewEffect none() { return {}; }
ViewEffect sets(uint64_t v, std::string why) { return {ViewEffect::Sets, v, std::move(why)}; }
ViewEffect unknown(std::string why) { return {ViewEffect::Unknown, 0, std::move(why)}; }

bool is_gic_field(const IdRegister& reg, const IdRegField& f) {
  return ((reg.name == "ID_AA64PFR0_EL1" || reg.name == "ID_PFR1_EL1") && f.name == "GIC") ||
         (reg.name == "ID_AA64PFR2_EL1" && f.name == "GCIE");
}

// ID_AA64PFR1_EL1.MTE (11:8), visible at EL0 (cpufeature.c ftr_id_aa64pfr1); 2 = MTE2.
constexpr int kMteShift = 8;
constexpr uint64_t kMte2 = 2;

// `current`: the field value the filters before this one left.
ViewEffect effect(const IdRegister& reg, const IdRegField& f, const IdRegFilter& filter, uint64_t current,
                    const GuestViewFacts& facts) {
  const std::string when = filter.when.empty() ? "" : " (" + filter.when + ")";
  switch (filter.kind) {
    case FilterKind::HwValueIgnored:
      // set_<reg>: the host's value is accepted and dropped; any other value is checked against
      // KVM's limit, which is 0 for these fields: an accepted write always stores 0.
      return sets(0, "hw_value_ignored: KVM accepts the host's value and stores 0, the guest reads 0");
    case FilterKind::Rewrite: {
      if (filter.values.empty() || !filter.to) return unknown("a rewrite filter without value/to");
      if (current != static_cast<uint64_t>(filter.values[0])) return none();
      const std::string why = "rewrite: " + hex(current) + " is stored as " + hex(static_cast<uint64_t>(*filter.to)) + when;
      if (filter.when.empty()) return sets(static_cast<uint64_t>(*filter.to), why);
      if (reg.name == "ID_AA64DFR0_EL1" && f.name == "DoubleLock")
        return facts.nested ? unknown("DoubleLock rewrite on a nested vCPU depends on the host's DoubleLock") : none();
      if (reg.name == "ID_AA64PFR1_EL1" && f.name == "MTE_frac") {
        // set_id_aa64pfr1_el1: only when the host's MTE is MTE2; its MTE_frac is hidden at EL0.
        if (!facts.host_el0 || !facts.host_el0->count(reg.name))
          return unknown("the MTE_frac rewrite needs the host's ID_AA64PFR1_EL1, which was not read");
        if ((facts.host_el0->at(reg.name) >> kMteShift & 0xf) != kMte2) return none();
        return unknown("host MTE is MTE2: whether MTE_frac is rewritten depends on the host's MTE_frac, hidden at EL0");
      }
      return unknown("a conditional rewrite" + when + " kvmct does not model");
    }
    case FilterKind::FirstRunCleared:
      if (is_gic_field(reg, f)) {
        // kvm_finalize_sys_regs: without an in-kernel irqchip the first KVM_RUN clears the field.
        if (!facts.irqchip) return sets(0, "first_run_cleared: the first KVM_RUN clears it" + when);
        return unknown("with an in-kernel vGIC the GIC fields follow the vGIC model, which kvmct does not model");
      }
      // Clearing a field at 0 changes nothing, whatever the condition (the planner writes 0 to
      // such fields where the rule allows, field_probe.h).
      if (current == 0) return none();
      return unknown("a first-run clearing" + when + " kvmct does not model");
    case FilterKind::VgicModel:
      return facts.irqchip ? unknown("with an in-kernel vGIC the field is set from the vGIC model" + when) : none();
    case FilterKind::RazWithout:
      if (reg.name == "ID_AA64ZFR0_EL1")
        return facts.sve ? none() : sets(0, "raz_without: the register reads as zero" + when);
      return unknown("a RAZ condition" + when + " kvmct does not model");
    case FilterKind::RefuseBelow:
    case FilterKind::RefuseValues:
    case FilterKind::EqualOrNi:
    case FilterKind::CustomCheck:
    case FilterKind::NeedsCap:
      return none();  // they decide whether a write is accepted, not what an accepted one reads as
  }
  return unknown("an unknown filter kind");
}

}  // namespace

GuestFieldExpectation guest_field_expectation(const IdRegister& reg, const IdRegField& f, uint64_t written_reg,
                                              const GuestViewFacts& facts, const std::string& table_file) {
  GuestFieldExpectation e;
  e.value = field_of(f, written_reg);
  // KVM's order: set_<reg>'s filters act when the value is stored, the first run's after it.
  std::vector<const IdRegFilter*> ordered;
  for (bool first_run : {false, true})
    for (const IdRegFilter& filter : reg.filters) {
      if (!filter.field.empty() && filter.field != f.name) continue;
      const bool at_run = filter.kind == FilterKind::FirstRunCleared || filter.kind == FilterKind::VgicModel ||
                          filter.kind == FilterKind::RazWithout;
      if (at_run == first_run) ordered.push_back(&filter);
    }
  for (const IdRegFilter* filter : ordered) {
    const ViewEffect fx = effect(reg, f, *filter, e.value, facts);
    const std::string where = filter->cite + " (" + table_file + ":" + std::to_string(reg.line) + ")";
    if (fx.kind == ViewEffect::Unknown) {
      e.error = reg.name + "." + f.name + ": " + fx.why + " [" + where + "]";
      return e;
    }
    if (fx.kind == ViewEffect::Sets) {
      e.value = fx.value;
      e.host_managed = fx.why;
      e.cite = where;
    }
  }
  return e;
}

}  // namespace kvmct
