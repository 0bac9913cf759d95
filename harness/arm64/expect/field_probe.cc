// SPDX-License-Identifier: MIT
#include "arm64/expect/field_probe.h"

#include <algorithm>

namespace kvmct {
namespace {

// Candidates are tried in order; wide fields (CCSIDR.NumSets, 15 bits) need only a few.
constexpr int kMaxCandidates = 16;

uint64_t raw_max(const IdRegField& f) { return f.width >= 64 ? ~0ULL : (1ULL << f.width) - 1; }
int64_t number_min(const IdRegField& f) { return f.is_signed ? -(int64_t{1} << (f.width - 1)) : 0; }
int64_t number_max(const IdRegField& f) {
  if (f.is_signed) return (int64_t{1} << (f.width - 1)) - 1;
  return f.width >= 63 ? INT64_MAX : static_cast<int64_t>(raw_max(f));
}
uint64_t to_raw(const IdRegField& f, int64_t n) { return static_cast<uint64_t>(n) & raw_max(f); }

std::string filter_name(const IdRegFilter& flt) {
  static const char* const kNames[] = {"hw_value_ignored", "first_run_cleared", "refuse_below", "refuse_values",
                                       "rewrite",          "equal_or_ni",       "custom_check", "needs_cap",
                                       "raz_without",      "vgic_model"};
  std::string s = kNames[static_cast<int>(flt.kind)];
  for (long v : flt.values) s += " " + std::to_string(v);
  if (flt.to) s += " -> " + std::to_string(*flt.to);
  if (!flt.when.empty()) s += " when " + flt.when;
  return s + " (" + flt.cite + ")";
}

bool has_filter(const IdRegister& reg, const IdRegField& f, FilterKind kind) {
  return std::any_of(reg.filters.begin(), reg.filters.end(),
                     [&](const IdRegFilter& x) { return x.field == f.name && x.kind == kind; });
}

// A conditional filter of this field that would refuse or rewrite `value` if its condition held.
const IdRegFilter* conditional_touch(const IdRegister& reg, const IdRegField& f, uint64_t limit, uint64_t value) {
  for (const IdRegFilter& x : reg.filters) {
    if (x.field != f.name || x.when.empty()) continue;
    const bool touched = [&] {
      switch (x.kind) {
        case FilterKind::RefuseBelow: return !x.values.empty() && value < static_cast<uint64_t>(x.values[0]);
        case FilterKind::RefuseValues:
        case FilterKind::Rewrite:
          return std::find(x.values.begin(), x.values.end(), static_cast<long>(value)) != x.values.end();
        case FilterKind::EqualOrNi: return value != limit && value != (f.safe & raw_max(f));
        default: return false;
      }
    }();
    if (touched) return &x;
  }
  return nullptr;
}

// A register-wide filter that makes per-field values meaningless: no per-field probe.
const IdRegFilter* whole_register_filter(const IdRegister& reg) {
  for (const IdRegFilter& x : reg.filters) {
    if (x.field.empty() &&
        (x.kind == FilterKind::CustomCheck || x.kind == FilterKind::NeedsCap || x.kind == FilterKind::RazWithout))
      return &x;
  }
  return nullptr;
}

// Field numbers from `from` stepping by `step` while inside the field's range.
std::vector<int64_t> walk(const IdRegField& f, int64_t from, int step) {
  std::vector<int64_t> out;
  for (int64_t n = from; n >= number_min(f) && n <= number_max(f) && out.size() < kMaxCandidates; n += step)
    out.push_back(n);
  return out;
}

void append(std::vector<int64_t>& to, const std::vector<int64_t>& more) { to.insert(to.end(), more.begin(), more.end()); }

std::vector<int64_t> safe_candidates(const IdRegister& reg, const IdRegField& f, int64_t l) {
  std::vector<int64_t> c;
  switch (f.rule) {
    case SafeRule::LowerSafe:
      if (has_filter(reg, f, FilterKind::FirstRunCleared)) c.push_back(0);  // the first run cannot change it
      append(c, walk(f, l - 1, -1));
      break;
    case SafeRule::HigherSafe: append(c, walk(f, l + 1, +1)); break;
    case SafeRule::HigherOrZero:
      if (l != 0) c.push_back(0);
      append(c, walk(f, l + 1, +1));
      break;
    case SafeRule::Exact: c.push_back(field_number(f, f.safe & raw_max(f))); break;
    case SafeRule::None: break;
  }
  return c;
}

std::vector<int64_t> unsafe_candidates(const IdRegister& reg, const IdRegField& f, int64_t l) {
  std::vector<int64_t> c;
  // The host's value of a hw_value_ignored field is accepted; the highest is no implemented one.
  if (has_filter(reg, f, FilterKind::HwValueIgnored)) c.push_back(number_max(f));
  switch (f.writable ? f.rule : SafeRule::None) {
    case SafeRule::LowerSafe: append(c, walk(f, l + 1, +1)); break;
    case SafeRule::HigherSafe: append(c, walk(f, l - 1, -1)); break;
    case SafeRule::HigherOrZero:
      if (l == 0) append(c, walk(f, 1, +1));
      else append(c, walk(f, l - 1, -1));
      break;
    case SafeRule::Exact:
    case SafeRule::None:
      append(c, walk(f, l + 1, +1));
      append(c, walk(f, l - 1, -1));
      break;
  }
  return c;
}

std::string rule_phrase(const IdRegField& f, uint64_t limit) {
  return std::string(safe_rule_name(f.rule)) + " field at " + hex(limit);
}

}  // namespace

uint64_t field_value(const IdRegField& f, uint64_t reg) { return (reg >> f.lsb) & raw_max(f); }

uint64_t with_field(const IdRegField& f, uint64_t reg, uint64_t v) {
  return (reg & ~f.mask()) | ((v & raw_max(f)) << f.lsb);
}

int64_t field_number(const IdRegField& f, uint64_t v) {
  v &= raw_max(f);
  if (f.is_signed && f.width < 64 && (v >> (f.width - 1)) != 0) return static_cast<int64_t>(v) - (int64_t{1} << f.width);
  return static_cast<int64_t>(v);
}

bool rule_accepts(const IdRegField& f, uint64_t limit, uint64_t value) {
  const int64_t n = field_number(f, value), l = field_number(f, limit);
  if (n == l) return true;  // arm64_check_features: f_val == f_lim is always safe
  switch (f.rule) {
    case SafeRule::Exact: return n == field_number(f, f.safe);
    case SafeRule::LowerSafe: return n < l;
    case SafeRule::HigherSafe: return n > l;
    case SafeRule::HigherOrZero: return n == 0 || (l != 0 && n > l);
    case SafeRule::None: return false;
  }
  return false;
}

FilterEffect apply_filters(const IdRegister& reg, const IdRegField& f, uint64_t value) {
  FilterEffect e{false, value & raw_max(f), ""};
  // set_<reg> rewrites first (set_id_dfr0_el1: PerfMon 15 -> 0), then refuses on the result.
  for (const IdRegFilter& x : reg.filters) {
    if (x.field != f.name || !x.when.empty() || x.kind != FilterKind::Rewrite || !x.to) continue;
    if (!x.values.empty() && e.stored == static_cast<uint64_t>(x.values[0])) {
      e.stored = static_cast<uint64_t>(*x.to) & raw_max(f);
      e.why = filter_name(x);
    }
  }
  for (const IdRegFilter& x : reg.filters) {
    if (x.field != f.name || !x.when.empty()) continue;
    bool refused = false;
    if (x.kind == FilterKind::RefuseBelow && !x.values.empty()) refused = e.stored < static_cast<uint64_t>(x.values[0]);
    if (x.kind == FilterKind::RefuseValues)
      refused = std::find(x.values.begin(), x.values.end(), static_cast<long>(e.stored)) != x.values.end();
    if (refused) return FilterEffect{true, e.stored, filter_name(x)};
  }
  return e;
}

bool value_may_be_rewritten(const IdRegister& reg, const IdRegField& f, uint64_t value) {
  for (const IdRegFilter& x : reg.filters) {
    if (x.field != f.name) continue;
    if (x.kind == FilterKind::HwValueIgnored) return true;
    if (x.kind == FilterKind::Rewrite &&
        std::find(x.values.begin(), x.values.end(), static_cast<long>(value & raw_max(f))) != x.values.end())
      return true;
  }
  return false;
}

FieldProbe probe_field(const IdRegister& reg, const IdRegField& f, uint64_t limit_reg) {
  FieldProbe p;
  const uint64_t limit = field_value(f, limit_reg);
  const int64_t l = field_number(f, limit);
  if (const IdRegFilter* whole = whole_register_filter(reg)) {
    if (whole->kind != FilterKind::RazWithout) {
      p.no_safe_why = p.no_unsafe_why = "the register has no per-field rule: " + filter_name(*whole);
      return p;
    }
    // RAZ reads 0 and refuses every non-zero value; a value the rule refuses at limit 0 is refused
    // either way, but no non-zero value is sure to be accepted.
    if (limit_reg == 0) p.no_safe_why = "the register reads 0 and may be RAZ: " + filter_name(*whole);
  }

  if (!f.writable) {
    p.no_safe_why = "outside the writable mask";
  } else if (p.no_safe_why.empty()) {
    std::string refused_why;
    for (int64_t n : safe_candidates(reg, f, l)) {
      const uint64_t v = to_raw(f, n);
      if (v == limit || !rule_accepts(f, limit, v)) continue;
      if (const IdRegFilter* c = conditional_touch(reg, f, limit, v)) {
        if (refused_why.empty()) refused_why = "; " + hex(v) + " avoided: " + filter_name(*c);
        continue;
      }
      const FilterEffect e = apply_filters(reg, f, v);
      if (e.refused || e.stored != v) {
        if (refused_why.empty()) refused_why = "; " + hex(v) + " filtered: " + e.why;
        continue;
      }
      p.safe = v;
      p.safe_reads_back = e.stored;
      break;
    }
    if (!p.safe) {
      p.no_safe_why = f.rule == SafeRule::None ? "no ftr_bits in cpufeature.c: only the limit " + hex(limit)
                                               : "no accepted value other than the limit: " + rule_phrase(f, limit) +
                                                     refused_why;
    }
  }

  for (int64_t n : unsafe_candidates(reg, f, l)) {
    const uint64_t v = to_raw(f, n);
    if (v == limit || (f.writable && rule_accepts(f, limit, v))) continue;
    if (conditional_touch(reg, f, limit, v)) continue;
    const FilterEffect e = apply_filters(reg, f, v);
    // Refused by the rule or the mask, not by a filter: filters have their own cases.
    if (e.refused || e.stored != v) continue;
    p.unsafe = v;
    break;
  }
  if (!p.unsafe) p.no_unsafe_why = "every other value is accepted or filtered: " + rule_phrase(f, limit);
  return p;
}

RegisterWrite safe_register_write(const IdRegister& reg, uint64_t limit_reg) {
  RegisterWrite w{limit_reg, {}};
  if (whole_register_filter(reg) != nullptr || reg.kind == RegKind::Raz || reg.kind == RegKind::ImplementationId ||
      reg.kind == RegKind::NoUserSet)
    return w;
  for (const IdRegField& f : reg.fields) {
    if (!f.writable) continue;
    const FieldProbe p = probe_field(reg, f, limit_reg);
    if (!p.safe) continue;
    w.value = with_field(f, w.value, *p.safe);
    w.moved.push_back(f.name);
  }
  return w;
}

}  // namespace kvmct
