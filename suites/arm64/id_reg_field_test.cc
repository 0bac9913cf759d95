// SPDX-License-Identifier: MIT
// IdRegWritable.<REG>_<FIELD>: for every field of every register the selected release describes,
// the mask says what the table says, and SET_ONE_REG keeps that promise: inside the mask a safe
// value (harness/arm64/expect/field_probe.h) is accepted and read back, an unsafe one gets EINVAL
// with the register unchanged, and the limit can be written again; outside it any change gets
// EINVAL. One VM per register (RegisterBench), restored after each case.
#include <gtest/gtest.h>

#include "arm64/expect/field_probe.h"
#include "check_judge.h"
#include "id_reg_vm.h"
#include "mask_tables.h"

namespace kvmct::arm64 {

void register_id_reg_bits_tests(const IdRegRelease& release);       // id_reg_bits_test.cc
void register_id_reg_lifecycle_tests(const IdRegRelease& release);  // id_reg_lifecycle_test.cc
void register_id_reg_imp_id_tests(const IdRegRelease& release);     // id_reg_imp_id_test.cc
void register_id_reg_filter_tests(const IdRegRelease& release);     // id_reg_filter_test.cc

namespace {

std::string coverage(uint64_t word, uint64_t field_mask) {
  const uint64_t in = word & field_mask;
  if (in == field_mask) return "writable";
  if (in == 0) return "fixed";
  return "partial " + hex(in);
}

class IdRegWritableTest : public testing::Test {
 public:
  IdRegWritableTest(IdRegister reg, IdRegField field) : reg_(std::move(reg)), f_(std::move(field)) {}

  void TestBody() override {
    current_test().subject = id_reg_field_subject(reg_, f_, f_.writable);
    std::optional<Skip> skip;
    Result<SelectedRegister> sel = selected(reg_.name, &skip);
    if (skip) KVMCT_SKIP(skip->kind) << skip->reason;
    ASSERT_TRUE(sel) << sel.error().to_string();
    const bool table_writable = (sel->expected_mask & f_.mask()) == f_.mask();
    current_test().subject = id_reg_field_subject(reg_, f_, table_writable);
    if (reg_.kind == RegKind::NoUserSet)
      KVMCT_SKIP(SkipKind::NotApplicable) << reg_.name << " has no .set_user (kind no_user_set): SET_ONE_REG never "
                                          << "reaches arm64_check_features (IdRegMask checks its mask is 0)";
    Result<RegisterBench> bench = bench_for(reg_);
    ASSERT_TRUE(bench) << bench.error().to_string();
    RestoreOnExit restore{reg_};
    const std::string& facts = mask_tables().facts;
    const std::string name = reg_.name + "." + f_.name;
    const std::string at = table_at(f_.line) + " " + name;
    const uint64_t limit_reg = bench->limit;
    const uint64_t limit = field_value(f_, limit_reg);
    RecordProperty("limit", hex(limit));
    KVMCT_JUDGE((CheckInput{"writable", "", coverage(bench->mask, f_.mask()), {table_writable ? "writable" : "fixed"},
                            at + " bits " + std::to_string(f_.lsb + f_.width - 1) + ":" + std::to_string(f_.lsb) +
                                " in the mask " + hex(sel->expected_mask) + " (release " +
                                mask_tables().selection->release.name() + ")"}),
                std::nullopt, name, facts);
    if (aarch32_raz_wi(reg_))
      KVMCT_SKIP(SkipKind::NotApplicable) << reg_.name << " is RAZ/WI on a host without AArch32 EL0 (aa32_id_visibility)";

    IdRegField fe = f_;
    fe.writable = table_writable;
    const FieldProbe p = probe_field(reg_, fe, limit_reg);
    Vcpu& vcpu = bench->vm->vcpus[0];
    const uint64_t id = one_reg_id(reg_);
    const std::string rule = std::string(safe_rule_name(f_.rule)) + (f_.is_signed ? " signed" : "") + " against limit " +
                             hex(limit) + " (arm64_check_features)";
    if (!p.safe) RecordProperty(table_writable ? "safe_left_out" : "no_safe", p.no_safe_why);
    if (!p.unsafe) RecordProperty(table_writable ? "unsafe_left_out" : "change_left_out", p.no_unsafe_why);

    if (table_writable && p.safe) {
      const Status s = vcpu.set_reg(id, with_field(f_, limit_reg, *p.safe));
      if (!s) RecordProperty("safe_error", s.error().to_string());
      KVMCT_JUDGE((CheckInput{"safe", "", outcome(s), {"ok"}, at + " " + hex(*p.safe) + " is safe: " + rule}),
                  std::nullopt, name, facts);
      Result<uint64_t> back = vcpu.get_reg(id);
      ASSERT_TRUE(back) << back.error().to_string();
      KVMCT_JUDGE((CheckInput{"safe_read_back", "", hex(field_value(f_, *back)), {hex(p.safe_reads_back)},
                              at + " reads back what " + reg_.set_user + " stored"}),
                  std::nullopt, name, facts);
      const Status raise = vcpu.set_reg(id, limit_reg);
      KVMCT_JUDGE((CheckInput{"raise_back", "", outcome(raise), {"ok"},
                              at + " the limit " + hex(limit) + " is accepted again after " + hex(*p.safe)}),
                  std::nullopt, name, facts);
    }
    if (p.unsafe) {
      const std::string check = table_writable ? "unsafe" : "change";
      Result<uint64_t> before = vcpu.get_reg(id);
      ASSERT_TRUE(before) << before.error().to_string();
      const Status s = vcpu.set_reg(id, with_field(f_, *before, *p.unsafe));
      const std::string why = table_writable ? hex(*p.unsafe) + " is unsafe: " + rule
                                             : hex(*p.unsafe) + " changes a field outside the mask (must equal the limit)";
      KVMCT_JUDGE((CheckInput{check, "", outcome(s), {"EINVAL"}, at + " " + why}), std::nullopt, name, facts);
      Result<uint64_t> after = vcpu.get_reg(id);
      ASSERT_TRUE(after) << after.error().to_string();
      KVMCT_JUDGE((CheckInput{check + "_unchanged", "", hex(*after), {hex(*before)}, at + " a refused write changes nothing"}),
                  std::nullopt, name, facts);
    }
    if (!(table_writable && p.safe) && !p.unsafe)
      KVMCT_SKIP(SkipKind::NotApplicable) << name << ": no value to write: " << p.no_safe_why
                                          << (p.no_unsafe_why == p.no_safe_why ? "" : "; " + p.no_unsafe_why);
  }

 private:
  IdRegister reg_;
  IdRegField f_;
};

}  // namespace

void register_id_reg_field_tests() {
  const MaskTables& t = mask_tables();
  const IdRegRelease* release = t.case_release();
  if (release == nullptr) return;  // IdRegMask.TablesCoverKernel fails, naming file and kernel
  for (const IdRegister& reg : release->registers) {
    for (const IdRegField& f : reg.fields) {
      const std::string name = reg.name + "_" + f.name;
      testing::RegisterTest("IdRegWritable", name.c_str(), nullptr, name.c_str(), __FILE__, __LINE__,
                            [reg, f]() -> testing::Test* { return new IdRegWritableTest(reg, f); });
    }
  }
  register_id_reg_bits_tests(*release);
  register_id_reg_lifecycle_tests(*release);
  register_id_reg_imp_id_tests(*release);
  register_id_reg_filter_tests(*release);
}

}  // namespace kvmct::arm64
