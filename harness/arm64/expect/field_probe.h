// SPDX-License-Identifier: MIT
// The planner of the field-by-field SET_ONE_REG cases: from the tables (id_registers.h) and the
// register's value right after VCPU_INIT (KVM's reset value, which arm64_check_features uses as the
// limit), which value of each field KVM must accept, what it reads back, and which it must refuse.
// Pure logic; the suites (IdRegWritable, IdRegFilter, GuestIdRegField) only carry it out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arm64/expect/id_registers.h"

namespace kvmct {

uint64_t field_value(const IdRegField& f, uint64_t reg);             // the field, right-aligned
uint64_t with_field(const IdRegField& f, uint64_t reg, uint64_t v);  // reg with the field set to v
// The field value as arm64_ftr_value() reads it: sign-extended from `width` for signed fields.
int64_t field_number(const IdRegField& f, uint64_t v);

// arm64_check_features for one field inside the mask (kvm_arm64_ftr_safe_value with KVM's rule):
// is `value` accepted against `limit` (both field values)? rule None: only the limit.
bool rule_accepts(const IdRegField& f, uint64_t limit, uint64_t value);

// What set_<reg> does to one field value before arm64_check_features, from the register's
// unconditional filters (those without `when`): refuse it (refuse_below / refuse_values), store
// another value (rewrite), or pass it on. Conditional filters (`when`: nested virtualisation, a
// host MTE2, ...) the planner cannot establish; probe_field avoids every value they touch.
struct FilterEffect {
  bool refused = false;
  uint64_t stored = 0;  // the value KVM checks and stores when not refused
  std::string why;      // the filter, when one acted: "refuse_below 6 (sys_regs.c:set_id_dfr0_el1)"
};
FilterEffect apply_filters(const IdRegister& reg, const IdRegField& f, uint64_t value);
// Could KVM accept `value` although it is neither the limit nor rule-safe? True for a rewrite
// source (conditional or not) and for any value of a hw_value_ignored field (the host's own value is
// accepted and dropped). IdRegFixedBits leaves such bit flips out.
bool value_may_be_rewritten(const IdRegister& reg, const IdRegField& f, uint64_t value);

struct FieldProbe {
  std::optional<uint64_t> safe;       // a field value != limit KVM must accept (filters honoured)
  uint64_t safe_reads_back = 0;       // GET_ONE_REG's field after the safe write (rewrite -> `to`)
  std::optional<uint64_t> unsafe;     // a field value != limit KVM must refuse with EINVAL
  std::string no_safe_why, no_unsafe_why;  // when one is absent: "lower-safe field at 0"
};

// The probe of one field. For a field outside the mask (`writable` false) there is no safe value
// and `unsafe` is the change KVM must refuse. limit_reg = the register right after VCPU_INIT.
FieldProbe probe_field(const IdRegister& reg, const IdRegField& f, uint64_t limit_reg);

// The register with every writable field moved to its probe's safe value (the guest view), and
// which fields moved. Fields a first run may clear (first_run_cleared: no irqchip, and 7.3's
// kvm_idregs_enforce_dependencies) get 0 as their safe value when the rule allows it, so whatever
// the first run clears, the combined write stays what the guest sees; fields of registers with a
// whole-register filter (needs_cap, custom_check, raz_without) are never moved.
struct RegisterWrite {
  uint64_t value = 0;
  std::vector<std::string> moved;
};
RegisterWrite safe_register_write(const IdRegister& reg, uint64_t limit_reg);

}  // namespace kvmct
