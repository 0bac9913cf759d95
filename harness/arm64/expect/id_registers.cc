// SPDX-License-Identifier: MIT
// Loading and validating expected/arm64/id-registers.yaml, and choosing a kernel's release.
#include "arm64/expect/id_registers.h"

#include <regex>
#include <set>

#include "expect/release_range.h"
#include "expect/yaml_file.h"

namespace kvmct {
namespace {

const std::regex kDebianSource("Debian linux-source-[0-9]+\\.[0-9]+ [^,]+, .+");

uint64_t field_mask(int lsb, int width) {
  return (width >= 64 ? ~0ull : ((1ull << width) - 1)) << lsb;
}

uint64_t hex_word(const YamlFile& y, const YAML::Node& n, std::string_view what) {
  const std::string s = y.string(n, what);
  static const std::regex kHex("0x[0-9a-fA-F]{1,16}|0");
  if (!std::regex_match(s, kHex)) y.fail(n, std::string(what) + " '" + s + "' is not a hex word like 0x00000000ffffffff");
  return std::stoull(s, nullptr, 16);
}

template <class E>
E one_of(const YamlFile& y, const YAML::Node& n, std::string_view what, const std::map<std::string, E>& names) {
  const std::string s = y.string(n, what);
  auto it = names.find(s);
  if (it == names.end()) {
    std::string all;
    for (const auto& kv : names) all += (all.empty() ? "" : ", ") + kv.first;
    y.fail(n, std::string(what) + " '" + s + "' is not one of " + all);
  }
  return it->second;
}

const std::map<std::string, SafeRule> kRules = {{"exact", SafeRule::Exact},
                                                {"lower-safe", SafeRule::LowerSafe},
                                                {"higher-safe", SafeRule::HigherSafe},
                                                {"higher-or-zero", SafeRule::HigherOrZero},
                                                {"none", SafeRule::None}};

IdRegField parse_field(const YamlFile& y, const YAML::Node& n, const std::string& reg) {
  y.only_keys(n, {"name", "lsb", "width", "signed", "rule", "host_rule", "safe", "writable"}, "a field");
  IdRegField f;
  f.line = static_cast<int>(n.Mark().line) + 1;
  f.name = y.string(y.required(n, "name", "a field of " + reg), "name");
  const std::string what = reg + "." + f.name;
  f.lsb = static_cast<int>(y.integer(y.required(n, "lsb", what), "lsb"));
  f.width = static_cast<int>(y.integer(y.required(n, "width", what), "width"));
  if (f.lsb < 0 || f.width < 1 || f.lsb + f.width > 64)
    y.fail(n, what + " (lsb " + std::to_string(f.lsb) + ", width " + std::to_string(f.width) + ") does not lie inside a 64-bit register");
  if (n["signed"]) f.is_signed = y.boolean(n["signed"], "signed");
  f.rule = one_of(y, y.required(n, "rule", what), "rule", kRules);
  if (n["host_rule"]) f.host_rule = one_of(y, n["host_rule"], "host_rule", kRules);
  if (n["safe"]) {
    const long safe = y.integer(n["safe"], "safe");
    // A negative safe wraps to a huge unsigned value, so one comparison refuses both.
    if (static_cast<uint64_t>(safe) > field_mask(0, f.width)) y.fail(n["safe"], what + ": safe " + std::to_string(safe) + " does not fit in " + std::to_string(f.width) + " bits");
    f.safe = static_cast<uint64_t>(safe);
  }
  if (n["writable"]) f.writable = y.boolean(n["writable"], "writable");
  return f;
}

IdRegFilter parse_filter(const YamlFile& y, const YAML::Node& n, const IdRegister& r) {
  y.only_keys(n, {"field", "kind", "value", "values", "to", "when", "why", "cite"}, "a filter");
  static const std::map<std::string, FilterKind> kinds = {
      {"hw_value_ignored", FilterKind::HwValueIgnored}, {"first_run_cleared", FilterKind::FirstRunCleared},
      {"refuse_below", FilterKind::RefuseBelow},        {"refuse_values", FilterKind::RefuseValues},
      {"rewrite", FilterKind::Rewrite},                 {"equal_or_ni", FilterKind::EqualOrNi},
      {"custom_check", FilterKind::CustomCheck},        {"needs_cap", FilterKind::NeedsCap},
      {"raz_without", FilterKind::RazWithout},         {"vgic_model", FilterKind::VgicModel}};
  IdRegFilter f;
  f.kind = one_of(y, y.required(n, "kind", "a filter of " + r.name), "filter kind", kinds);
  if (n["field"]) {
    f.field = y.string(n["field"], "field");
    if (!r.field(f.field)) y.fail(n["field"], "a filter of " + r.name + " names the field '" + f.field + "', which the register does not have");
  }
  if (n["value"]) f.values.push_back(y.integer(n["value"], "value"));
  if (n["values"])
    for (const YAML::Node& v : n["values"]) f.values.push_back(y.integer(v, "values"));
  const bool needs_value = f.kind == FilterKind::RefuseBelow || f.kind == FilterKind::Rewrite ||
                           f.kind == FilterKind::NeedsCap || f.kind == FilterKind::RefuseValues;
  if (needs_value && f.values.empty()) y.fail(n, "a filter of " + r.name + " of this kind needs value or values");
  if (n["to"]) f.to = y.integer(n["to"], "to");
  if (f.kind == FilterKind::Rewrite && !f.to) y.fail(n, "a rewrite filter of " + r.name + " needs 'to'");
  if (n["when"]) f.when = y.string(n["when"], "when");
  if (n["why"]) f.why = y.string(n["why"], "why");
  f.cite = y.string(y.required(n, "cite", "a filter of " + r.name), "cite");
  return f;
}

IdRegister parse_register(const YamlFile& y, const YAML::Node& n) {
  y.only_keys(n, {"name", "encoding", "slot", "scope", "kind", "mask", "mask_of", "set_user", "filters", "fields"},
              "a register");
  IdRegister r;
  r.line = static_cast<int>(n.Mark().line) + 1;
  r.name = y.string(y.required(n, "name", "a register"), "name");
  const YAML::Node enc = y.required(n, "encoding", r.name);
  if (!enc.IsSequence() || enc.size() != 5) y.fail(enc, r.name + ": encoding must be [op0, op1, CRn, CRm, op2]");
  for (size_t i = 0; i < 5; ++i) r.encoding[i] = static_cast<int>(y.integer(enc[i], "encoding"));
  if (!is_feature_id_encoding(r.encoding))
    y.fail(enc, r.name + " is outside the Feature ID range (op0 3, op1 0/1/3, CRn 0, CRm 0-7)");
  const YAML::Node slot = y.required(n, "slot", r.name);
  r.slot = static_cast<int>(y.integer(slot, "slot"));
  if (r.slot != feature_id_range_idx(r.encoding))
    y.fail(slot, r.name + ": slot " + std::to_string(r.slot) + " is not KVM_ARM_FEATURE_ID_RANGE_IDX of its encoding (" +
                     std::to_string(feature_id_range_idx(r.encoding)) + ")");
  r.scope = one_of(y, y.required(n, "scope", r.name), "scope", std::map<std::string, RegScope>{{"vm", RegScope::Vm}, {"vcpu", RegScope::Vcpu}});
  r.kind = one_of(y, y.required(n, "kind", r.name), "kind",
                  std::map<std::string, RegKind>{{"feature", RegKind::Feature}, {"aarch32", RegKind::AArch32},
                                                 {"raz", RegKind::Raz}, {"implementation_id", RegKind::ImplementationId},
                                                 {"no_user_set", RegKind::NoUserSet}});
  const YAML::Node mask = y.required(n, "mask", r.name);
  r.mask = hex_word(y, mask, "mask");
  if (r.kind == RegKind::Raz && r.mask != 0) y.fail(mask, r.name + " is RAZ but has a non-zero mask");
  r.mask_of_fields = one_of(y, y.required(n, "mask_of", r.name), "mask_of", std::map<std::string, bool>{{"fields", true}, {"literal", false}});
  r.set_user = y.string(y.required(n, "set_user", r.name), "set_user");
  if (const YAML::Node fields = n["fields"]) {
    if (!fields.IsSequence()) y.fail(fields, r.name + ": fields must be a list");
    uint64_t seen = 0;
    for (const YAML::Node& fn : fields) {
      IdRegField f = parse_field(y, fn, r.name);
      if (seen & f.mask()) y.fail(fn, r.name + "." + f.name + " overlaps an earlier field");
      seen |= f.mask();
      if (f.writable != ((r.mask & f.mask()) == f.mask()))
        y.fail(fn, r.name + "." + f.name + (f.writable ? " is marked writable but is not inside the mask"
                                                        : " lies inside the mask but is not marked writable"));
      r.fields.push_back(std::move(f));
    }
  }
  if (r.mask_of_fields) {
    uint64_t u = 0;
    for (const IdRegField& f : r.fields)
      if (f.writable) u |= f.mask();
    if (u != r.mask) y.fail(mask, r.name + ": mask_of fields, but the union of the writable fields is not the mask");
  }
  if (const YAML::Node filters = n["filters"])
    for (const YAML::Node& fn : filters) r.filters.push_back(parse_filter(y, fn, r));
  return r;
}

StableChange parse_stable(const YamlFile& y, const YAML::Node& n, const IdRegRelease& rel) {
  y.only_keys(n, {"fixed_in", "debian", "title", "provenance", "source", "note", "masks_before"}, "a stable change");
  StableChange c;
  c.line = static_cast<int>(n.Mark().line) + 1;
  const YAML::Node fixed = y.required(n, "fixed_in", "a stable change");
  c.fixed_in = y.version(fixed, "fixed_in");
  if (c.fixed_in.major != rel.release.major || c.fixed_in.minor != rel.release.minor)
    y.fail(fixed, "stable change " + c.fixed_in.to_string() + " is not a " + rel.name() + " stable release");
  c.debian = y.string(y.required(n, "debian", "a stable change"), "debian");
  c.title = y.string(y.required(n, "title", "a stable change"), "title");
  if (y.string(y.required(n, "provenance", c.title), "provenance") != "derived")
    y.fail(n["provenance"], "stable change '" + c.title + "' must be derived: its kernel source was not read");
  c.source = y.string(y.required(n, "source", c.title), "source");
  if (n["note"]) c.note = y.string(n["note"], "note");
  const YAML::Node before = y.required(n, "masks_before", c.title);
  if (!before.IsMap()) y.fail(before, "masks_before must be a mapping REGISTER: mask");
  for (const auto& kv : before) {
    const std::string reg = y.string(kv.first, "register");
    if (!rel.reg(reg)) y.fail(kv.first, "stable change '" + c.title + "' names " + reg + ", which release " + rel.name() + " lacks");
    c.masks_before[reg] = hex_word(y, kv.second, "masks_before");
  }
  return c;
}

IdRegRelease parse_release(const YamlFile& y, const YAML::Node& n) {
  y.only_keys(n, {"release", "until", "provenance", "source", "imp_id_cap", "stable", "registers"}, "a release");
  IdRegRelease r;
  r.line = static_cast<int>(n.Mark().line) + 1;
  const YAML::Node v = y.required(n, "release", "a release");
  r.release = y.version(v, "release");
  r.until = n["until"] ? y.version(n["until"], "until") : r.release;
  if (r.until < r.release) y.fail(n["until"], "release " + r.name() + ": until " + r.until.to_string() + " is before it");
  const YAML::Node prov = y.required(n, "provenance", "release " + r.name());
  r.provenance = one_of(y, prov, "provenance",
                        std::map<std::string, TableProvenance>{{"verified", TableProvenance::Verified},
                                                               {"derived", TableProvenance::Derived}});
  r.source = y.string(y.required(n, "source", "release " + r.name()), "source");
  if (r.provenance == TableProvenance::Verified && !std::regex_match(r.source, kDebianSource))
    y.fail(n["source"], "release " + r.name() + " is verified but its source does not name 'Debian linux-source-X.Y VERSION, FILE'");
  if (n["imp_id_cap"]) r.imp_id_cap = static_cast<int>(y.integer(n["imp_id_cap"], "imp_id_cap"));
  const YAML::Node regs = y.required(n, "registers", "release " + r.name());
  if (!regs.IsSequence() || regs.size() == 0) y.fail(regs, "release " + r.name() + ": registers must be a non-empty list");
  std::set<std::string> names;
  int last_slot = -1;
  for (const YAML::Node& rn : regs) {
    IdRegister reg = parse_register(y, rn);
    if (!names.insert(reg.name).second) y.fail(rn, "release " + r.name() + " lists " + reg.name + " twice");
    if (reg.slot <= last_slot)
      y.fail(rn, reg.name + ": registers go by ascending slot, once each (slot " + std::to_string(reg.slot) + ")");
    last_slot = reg.slot;
    r.registers.push_back(std::move(reg));
  }
  if (const YAML::Node stable = n["stable"])
    for (const YAML::Node& sn : stable) r.stable.push_back(parse_stable(y, sn, r));
  return r;
}

}  // namespace

uint64_t IdRegField::mask() const { return field_mask(lsb, width); }

std::string_view safe_rule_name(SafeRule r) {
  switch (r) {
    case SafeRule::Exact: return "exact";
    case SafeRule::LowerSafe: return "lower-safe";
    case SafeRule::HigherSafe: return "higher-safe";
    case SafeRule::HigherOrZero: return "higher-or-zero";
    case SafeRule::None: return "none";
  }
  return "?";
}

std::string_view reg_kind_name(RegKind k) {
  switch (k) {
    case RegKind::Feature: return "feature";
    case RegKind::AArch32: return "aarch32";
    case RegKind::Raz: return "raz";
    case RegKind::ImplementationId: return "implementation_id";
    case RegKind::NoUserSet: return "no_user_set";
  }
  return "?";
}

const IdRegField* IdRegister::field(std::string_view n) const {
  for (const IdRegField& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

std::string IdRegRelease::name() const { return std::to_string(release.major) + "." + std::to_string(release.minor); }

const IdRegister* IdRegRelease::reg(std::string_view n) const {
  for (const IdRegister& r : registers)
    if (r.name == n) return &r;
  return nullptr;
}

int feature_id_range_idx(const std::array<int, 5>& e) {
  const int op1 = e[1] & 3;
  return ((op1 - (op1 == 3 ? 1 : 0)) << 6) | ((e[3] & 7) << 3) | e[4];
}

std::array<uint64_t, kFeatureIdRangeSize> expected_masks(const IdRegRelease& release, bool host_aarch32_el0) {
  std::array<uint64_t, kFeatureIdRangeSize> out{};
  for (const IdRegister& r : release.registers) {
    const bool aarch32_row = r.encoding[1] == 0 && r.encoding[3] >= 1 && r.encoding[3] <= 3;
    if (aarch32_row && !host_aarch32_el0) continue;
    out[static_cast<size_t>(r.slot)] = r.mask;
  }
  return out;
}

bool is_feature_id_encoding(const std::array<int, 5>& e) {
  return e[0] == 3 && (e[1] == 0 || e[1] == 1 || e[1] == 3) && e[2] == 0 && e[3] >= 0 && e[3] <= 7 && e[4] >= 0 &&
         e[4] <= 7;
}

Result<IdRegTables> IdRegTables::parse(std::string_view text, const std::string& file) {
  YamlFile y(file);
  return parse_yaml<IdRegTables>(y, [&]() -> IdRegTables {
    YAML::Node root = y.load(text);
    y.only_keys(root, {"releases"}, "the ID-register tables");
    IdRegTables t;
    t.file_ = file;
    const YAML::Node list = y.required(root, "releases", "the ID-register tables");
    if (!list.IsSequence() || list.size() == 0) y.fail(list, "'releases' must be a non-empty list");
    KernelVersion last_until{-1, 0, 0};  // below every release
    for (const YAML::Node& n : list) {
      IdRegRelease r = parse_release(y, n);
      if (!(last_until < r.release))
        y.fail(n, "release " + r.name() + " overlaps or precedes release " + t.releases_.back().name() +
                      " (line " + std::to_string(t.releases_.back().line) + "): ranges go oldest first, disjoint");
      last_until = r.until;
      t.releases_.push_back(std::move(r));
    }
    return t;
  });
}

Result<IdRegSelection> IdRegTables::select(const KernelVersion& kernel) const {
  if (releases_.empty()) return Error{0, file_ + ": no ID-register tables loaded"};
  std::vector<ReleaseRange> ranges;
  for (const IdRegRelease& r : releases_) ranges.push_back({r.release, r.until});
  const RangePick pick = pick_range(ranges, kernel);
  if (pick.match == RangeMatch::OlderThanAll)
    return Error{0, file_ + ": kernel " + kernel.to_string() + " is older than the first release in the tables (" +
                        releases_.front().name() + ")"};
  if (pick.match == RangeMatch::InGap)
    return Error{0, file_ + ": no release range covers kernel " + kernel.to_string() +
                        " (kvmct cannot derive its ID-register rules)"};
  IdRegSelection s{releases_[pick.index], kernel, pick.match == RangeMatch::NewerThanAll, {}};
  // Oldest fix last, so the oldest masks_before wins for a kernel that predates several fixes.
  for (auto it = s.release.stable.rbegin(); it != s.release.stable.rend(); ++it) {
    if (s.newer_than_tables || !(kernel < it->fixed_in)) continue;
    s.stable_missing.push_back(it->title);
    for (IdRegister& r : s.release.registers) {
      auto m = it->masks_before.find(r.name);
      if (m == it->masks_before.end()) continue;
      r.mask = m->second;
      r.mask_of_fields = false;
      for (IdRegField& f : r.fields) f.writable = (r.mask & f.mask()) == f.mask();
    }
  }
  return s;
}

}  // namespace kvmct
