// SPDX-License-Identifier: MIT
// Strict loader of expected/riscv/reg-list.yaml, and the list a layout predicts.
#include "riscv/expect/reg_list_layout.h"

#include <array>
#include <bit>
#include <utility>

#include "expect/yaml_file.h"

namespace kvmct {
namespace {

using riscv::RegId;
using riscv::RegSize;
using riscv::RegType;

struct ClassEncoding {
  RegListClass cls;
  std::string_view name;
  RegType type;
  uint32_t subtype;
};

// uapi asm/kvm.h: KVM_REG_RISCV_CSR_{GENERAL,AIA,SMSTATEEN,ZICFISS}, KVM_REG_RISCV_SBI_{STA,FWFT}.
// In the enum's order: encoding() indexes this array by it.
constexpr std::array<ClassEncoding, 14> kClasses{{
    {RegListClass::Config, "config", RegType::Config, 0},
    {RegListClass::Core, "core", RegType::Core, 0},
    {RegListClass::CsrGeneral, "csr_general", RegType::Csr, 0},
    {RegListClass::CsrAia, "csr_aia", RegType::Csr, 1},
    {RegListClass::CsrSmstateen, "csr_smstateen", RegType::Csr, 2},
    {RegListClass::CsrZicfiss, "csr_zicfiss", RegType::Csr, 3},
    {RegListClass::Timer, "timer", RegType::Timer, 0},
    {RegListClass::FpF, "fp_f", RegType::FpF, 0},
    {RegListClass::FpD, "fp_d", RegType::FpD, 0},
    {RegListClass::Vector, "vector", RegType::Vector, 0},
    {RegListClass::IsaExt, "isa_ext", RegType::IsaExt, 0},
    {RegListClass::SbiExt, "sbi_ext", RegType::SbiExt, 0},
    {RegListClass::SbiSta, "sbi_sta", RegType::SbiState, 0},
    {RegListClass::SbiFwft, "sbi_fwft", RegType::SbiState, 1},
}};

// enum KVM_RISCV_SBI_EXT_ID: only the extensions that carry state registers.
constexpr std::array<std::pair<std::string_view, uint32_t>, 2> kSbiStateExts{{{"STA", 10}, {"FWFT", 12}}};

const ClassEncoding& encoding(RegListClass c) { return kClasses[static_cast<size_t>(c)]; }

// Vector CSRs vstart..vlenb are indices 0-4; v0 is at sizeof(struct __riscv_v_ext_state) / 8 = 6
// (KVM_REG_RISCV_VECTOR_REG), sized vlenb bytes.
constexpr uint32_t kVectorCsrs = 5;
constexpr uint32_t kVectorRegBase = 6;

// The id of a class's i-th register as the kernel's copy function builds it.
RegId class_id(const RegListClassRule& rule, uint32_t i, const VcpuRegFacts& facts) {
  const ClassEncoding& e = encoding(rule.cls);
  switch (rule.cls) {
    case RegListClass::FpF:
      return RegId::make(e.type, e.subtype, i, RegSize::U32);
    case RegListClass::FpD:  // f[0..31] then fcsr, which is 32 bits
      return RegId::make(e.type, e.subtype, i, rule.count && i + 1 == *rule.count ? RegSize::U32 : RegSize::U64);
    case RegListClass::Vector:
      if (i < kVectorCsrs) return RegId::make(e.type, e.subtype, i);
      return RegId::make(e.type, e.subtype, kVectorRegBase + (i - kVectorCsrs),
                         static_cast<RegSize>(facts.vlenb ? std::countr_zero(facts.vlenb) : 0));
    default:
      return RegId::make(e.type, e.subtype, i);
  }
}

uint32_t bound(const RegListClassRule& rule, const VcpuRegFacts& facts) {
  if (rule.count) return *rule.count;
  if (rule.readable_below) return *rule.readable_below;
  return facts.isa_ext_max;
}

bool class_applies(const RegListClassRule& rule, const VcpuRegFacts& facts) {
  if (!rule.when.empty() && !facts.isa_ext_enabled(rule.when)) return false;
  if (!rule.when_sbi.empty() && !facts.sbi_ext_enabled(*sbi_ext_id(rule.when_sbi))) return false;
  return true;
}

}  // namespace

std::string_view to_string(RegListClass c) { return encoding(c).name; }

std::optional<RegListClass> reg_list_class(std::string_view name) {
  for (const ClassEncoding& e : kClasses)
    if (e.name == name) return e.cls;
  return std::nullopt;
}

std::optional<RegListClass> class_of(RegId id) {
  if (!id.is_riscv()) return std::nullopt;
  for (const ClassEncoding& e : kClasses)
    if (e.type == id.type() && e.subtype == id.subtype()) return e.cls;
  return std::nullopt;
}

std::optional<uint32_t> sbi_ext_id(std::string_view name) {
  for (const auto& [n, id] : kSbiStateExts)
    if (n == name) return id;
  return std::nullopt;
}

std::vector<RegId> class_candidates(const RegListClassRule& rule, const VcpuRegFacts& facts, uint32_t margin) {
  std::vector<RegId> out;
  const uint32_t n = bound(rule, facts) + margin;
  for (uint32_t i = 0; i < n; i++) out.push_back(class_id(rule, i, facts));
  return out;
}

std::vector<uint64_t> predicted_reg_list(const RegListLayout& layout, const VcpuRegFacts& facts) {
  std::vector<uint64_t> out;
  for (const RegListClassRule& rule : layout.classes) {
    if (!class_applies(rule, facts)) continue;
    for (uint32_t i = 0; i < bound(rule, facts); i++) {
      const RegId id = class_id(rule, i, facts);
      if (rule.count) {
        auto need = rule.index_needs.find(i);
        if (need != rule.index_needs.end() && !facts.isa_ext_enabled(need->second)) continue;
      } else if (!facts.readable(id)) {
        continue;
      }
      out.push_back(id.raw());
    }
  }
  return out;
}

Result<RegListLayouts> RegListLayouts::parse(std::string_view text, const std::string& file, const Catalogue& catalogue) {
  YamlFile yaml(file);
  return parse_yaml<RegListLayouts>(yaml, [&] {
    const YAML::Node root = yaml.load(text);
    yaml.only_keys(root, {"layouts"}, "the file");
    const YAML::Node layouts = yaml.required(root, "layouts", "the file");
    if (!layouts.IsSequence()) yaml.fail(layouts, "'layouts' must be a list");
    RegListLayouts out;
    out.file_ = file;
    auto known_extension = [&](const YAML::Node& at, const std::string& name) {
      if (!catalogue.by_name(name)) yaml.fail(at, name + " is not in " + catalogue.file());
      return name;
    };
    for (const YAML::Node& l : layouts) {
      yaml.only_keys(l, {"release", "source", "classes"}, "a layout");
      RegListLayout layout;
      layout.line = static_cast<int>(l.Mark().line) + 1;
      layout.release = yaml.version(yaml.required(l, "release", "a layout"), "release");
      const std::string what = "layout " + layout.release.to_string();
      layout.source = yaml.string(yaml.required(l, "source", what), "source");
      if (!out.layouts_.empty() && !(out.layouts_.back().release < layout.release))
        yaml.fail(l, what + ": layouts must be in ascending release order");
      for (const YAML::Node& c : yaml.required(l, "classes", what)) {
        yaml.only_keys(c, {"class", "count", "readable_below", "when", "when_sbi", "index_needs"}, what + " class");
        const std::string name = yaml.string(yaml.required(c, "class", what), "class");
        const std::optional<RegListClass> cls = reg_list_class(name);
        if (!cls) yaml.fail(c, what + ": unknown class " + name + " (one of config, core, csr_*, timer, fp_f, fp_d, vector, isa_ext, sbi_ext, sbi_sta, sbi_fwft)");
        for (const RegListClassRule& seen : layout.classes)
          if (seen.cls == *cls) yaml.fail(c, what + ": class " + name + " is listed twice");
        RegListClassRule rule{*cls, {}, {}, {}, {}, {}, static_cast<int>(c.Mark().line) + 1};
        if (c["count"]) rule.count = static_cast<uint32_t>(yaml.integer(c["count"], "count"));
        if (c["readable_below"]) rule.readable_below = static_cast<uint32_t>(yaml.integer(c["readable_below"], "readable_below"));
        // isa_ext's bound is policy.yaml's isa_ext_max: the fact is kept in one place.
        const int bounds = (rule.count ? 1 : 0) + (rule.readable_below ? 1 : 0);
        if (bounds != (*cls == RegListClass::IsaExt ? 0 : 1))
          yaml.fail(c, what + ": class " + name +
                           (*cls == RegListClass::IsaExt ? " takes its bound from policy.yaml isa_ext_max"
                                                         : " needs exactly one of count and readable_below"));
        if (c["when"]) rule.when = known_extension(c["when"], yaml.string(c["when"], "when"));
        if (c["when_sbi"]) {
          rule.when_sbi = yaml.string(c["when_sbi"], "when_sbi");
          if (!sbi_ext_id(rule.when_sbi)) yaml.fail(c["when_sbi"], what + ": " + rule.when_sbi + " is not an SBI extension with state registers (STA, FWFT)");
        }
        if (const YAML::Node needs = c["index_needs"]) {
          if (!rule.count) yaml.fail(needs, what + ": index_needs is for a class with a count");
          for (const auto& kv : needs) {
            const auto index = static_cast<uint32_t>(yaml.integer(kv.first, "an index"));
            if (index >= *rule.count) yaml.fail(kv.first, what + ": index_needs " + std::to_string(index) + " is outside the class's count");
            rule.index_needs[index] = known_extension(kv.second, yaml.string(kv.second, "an ISA extension"));
          }
        }
        layout.classes.push_back(std::move(rule));
      }
      out.layouts_.push_back(std::move(layout));
    }
    return out;
  });
}

RegListLayouts::Pick RegListLayouts::pick(const KernelVersion& kernel) const {
  const auto series = [](const KernelVersion& v) { return std::pair{v.major, v.minor}; };
  for (const RegListLayout& l : layouts_)
    if (series(l.release) == series(kernel)) return {&l, false, ""};
  if (!layouts_.empty() && series(kernel) > series(layouts_.back().release))
    return {&layouts_.back(), true, ""};
  return {nullptr, false,
          file_ + " has no layout for " + kernel.to_string() + ": its kernel source was not read (layouts are per release)"};
}

}  // namespace kvmct
