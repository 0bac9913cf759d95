// SPDX-License-Identifier: MIT
// IdRegFilter.<REG>_<FIELD>_<kind>: each per-field filter of the tables' set_<reg> functions, on
// the register's shared VM: refuse_below (DebugVer, CopDbg, PFR0 EL0/EL1: one below the minimum
// gets EINVAL, the minimum itself is accepted), refuse_values (DFR0 PerfMon 1..2, CTR_EL0 L1Ip 0..1:
// EINVAL, register unchanged), rewrite (PMUVer/PerfMon IMPDEF 15: accepted, stored as 0). Filters
// with a condition kvmct's VMs do not meet, and the ones that act at the first run or on the
// host's hidden value, skip with that reason (the guest view and IdRegWritable cover the rest).
#include <gtest/gtest.h>

#include "arm64/expect/field_probe.h"
#include "check_judge.h"
#include "id_reg_vm.h"
#include "mask_tables.h"

namespace kvmct::arm64 {
namespace {

const char* kind_name(FilterKind k) {
  switch (k) {
    case FilterKind::HwValueIgnored: return "hw_value_ignored";
    case FilterKind::FirstRunCleared: return "first_run_cleared";
    case FilterKind::RefuseBelow: return "refuse_below";
    case FilterKind::RefuseValues: return "refuse_values";
    case FilterKind::Rewrite: return "rewrite";
    case FilterKind::EqualOrNi: return "equal_or_ni";
    case FilterKind::CustomCheck: return "custom_check";
    case FilterKind::NeedsCap: return "needs_cap";
    case FilterKind::RazWithout: return "raz_without";
    case FilterKind::VgicModel: return "vgic_model";
  }
  return "?";
}

class FilterTest : public testing::Test {
 public:
  FilterTest(IdRegister reg, IdRegField field, IdRegFilter filter)
      : reg_(std::move(reg)), f_(std::move(field)), x_(std::move(filter)) {}

  void TestBody() override {
    current_test().subject = id_reg_field_subject(reg_, f_, f_.writable);
    std::optional<Skip> skip;
    Result<SelectedRegister> sel = selected(reg_.name, &skip);
    if (skip) KVMCT_SKIP(skip->kind) << skip->reason;
    ASSERT_TRUE(sel) << sel.error().to_string();
    const bool writable = (sel->expected_mask & f_.mask()) == f_.mask();
    current_test().subject = id_reg_field_subject(reg_, f_, writable);
    if (x_.kind == FilterKind::FirstRunCleared || x_.kind == FilterKind::VgicModel)
      KVMCT_SKIP(SkipKind::NotApplicable) << "acts at the first run: GuestIdRegField shows it";
    if (!x_.when.empty()) KVMCT_SKIP(SkipKind::NotApplicable) << "applies only when: " << x_.when << " (kvmct's VMs have no nested virtualisation, MTE or vGIC)";
    if (x_.kind == FilterKind::HwValueIgnored)
      KVMCT_SKIP(SkipKind::NotApplicable) << "accepts only the host's sanitised value, which EL0 does not see "
                                             "(IdRegWritable changes it to a value no host has)";
    if (!writable || aarch32_raz_wi(reg_))
      KVMCT_SKIP(SkipKind::NotApplicable) << reg_.name << "." << f_.name << " is not writable here";
    Result<RegisterBench> bench = bench_for(reg_);
    ASSERT_TRUE(bench) << bench.error().to_string();
    RestoreOnExit restore{reg_};
    Vcpu& vcpu = bench->vm->vcpus[0];
    const uint64_t id = one_reg_id(reg_);
    const uint64_t limit_reg = bench->limit;
    const uint64_t limit = field_value(f_, limit_reg);
    const std::string name = reg_.name + "." + f_.name;
    const std::string at = table_at(f_.line) + " " + name + " " + kind_name(x_.kind) + " (" + x_.cite + ")";
    const std::string& facts = mask_tables().facts;
    RecordProperty("limit", hex(limit));

    // Refused values: EINVAL and the register unchanged.
    auto refused = [&](const std::string& check, uint64_t v) {
      const Status s = vcpu.set_reg(id, with_field(f_, limit_reg, v));
      KVMCT_JUDGE((CheckInput{check, "", outcome(s), {"EINVAL"}, at + ": " + hex(v) + " is refused"}), std::nullopt,
                  name, facts);
      Result<uint64_t> now = vcpu.get_reg(id);
      ASSERT_TRUE(now) << now.error().to_string();
      KVMCT_JUDGE((CheckInput{check + "_unchanged", "", hex(*now), {hex(limit_reg)}, at + ": a refused write changes nothing"}),
                  std::nullopt, name, facts);
      if (*now != limit_reg) ASSERT_TRUE(vcpu.set_reg(id, limit_reg));
    };
    switch (x_.kind) {
      case FilterKind::RefuseBelow: {
        ASSERT_FALSE(x_.values.empty()) << at;
        const uint64_t minimum = static_cast<uint64_t>(x_.values[0]);
        if (minimum > 0) refused("below", minimum - 1);
        if (minimum != limit && rule_accepts(f_, limit, minimum)) {
          const Status s = vcpu.set_reg(id, with_field(f_, limit_reg, minimum));
          KVMCT_JUDGE((CheckInput{"minimum", "", outcome(s), {"ok"}, at + ": the minimum " + hex(minimum) + " is accepted"}),
                      std::nullopt, name, facts);
          ASSERT_TRUE(vcpu.set_reg(id, limit_reg));
        } else {
          RecordProperty("minimum_left_out", "the minimum is the limit or above it");
        }
        break;
      }
      case FilterKind::RefuseValues:
        for (long v : x_.values)
          if (static_cast<uint64_t>(v) != limit) refused("refuse_" + std::to_string(v), static_cast<uint64_t>(v));
        break;
      case FilterKind::Rewrite: {
        ASSERT_TRUE(!x_.values.empty() && x_.to) << at;
        const uint64_t from = static_cast<uint64_t>(x_.values[0]), to = static_cast<uint64_t>(*x_.to);
        if (!rule_accepts(f_, limit, to))
          KVMCT_SKIP(SkipKind::NotApplicable) << hex(to) << " is not safe against the limit " << hex(limit);
        const Status s = vcpu.set_reg(id, with_field(f_, limit_reg, from));
        KVMCT_JUDGE((CheckInput{"rewrite", "", outcome(s), {"ok"}, at + ": " + hex(from) + " is accepted as " + hex(to)}),
                    std::nullopt, name, facts);
        Result<uint64_t> now = vcpu.get_reg(id);
        ASSERT_TRUE(now) << now.error().to_string();
        KVMCT_JUDGE((CheckInput{"stored", "", hex(field_value(f_, *now)), {hex(to)}, at + ": and stored as " + hex(to)}),
                    std::nullopt, name, facts);
        break;
      }
      default:
        KVMCT_SKIP(SkipKind::NotApplicable) << kind_name(x_.kind) << " has no per-field SET_ONE_REG check";
    }
  }

 private:
  IdRegister reg_;
  IdRegField f_;
  IdRegFilter x_;
};

}  // namespace

void register_id_reg_filter_tests(const IdRegRelease& release) {
  for (const IdRegister& reg : release.registers) {
    for (const IdRegFilter& x : reg.filters) {
      const IdRegField* f = reg.field(x.field);
      if (f == nullptr) continue;  // whole-register filters: IdRegImpId, IdRegWritable (CLIDR), IdRegRaz
      const std::string name = reg.name + "_" + f->name + "_" + kind_name(x.kind);
      testing::RegisterTest("IdRegFilter", name.c_str(), nullptr, name.c_str(), __FILE__, __LINE__,
                            [reg, f = *f, x]() -> testing::Test* { return new FilterTest(reg, f, x); });
    }
  }
}

}  // namespace kvmct::arm64
