// SPDX-License-Identifier: MIT
// The register-wide bit cases:
// - IdRegFixedBits.<REG>: every bit outside the mask, and every mask bit no table field covers,
//   flipped alone gets EINVAL and leaves the register unchanged;
// - IdRegDescribed.<REG>: the default value has no non-zero bit outside the table's fields (else a
//   host has a feature the tables do not describe, and no rule can be derived for it);
// - IdRegRaz.<REG> (kind raz): reads 0, accepts 0, refuses every single non-zero bit.
#include <gtest/gtest.h>

#include "arm64/expect/field_probe.h"
#include "check_judge.h"
#include "id_reg_vm.h"
#include "mask_tables.h"
#include "suite_context.h"

namespace kvmct::arm64 {
namespace {

uint64_t fields_mask(const IdRegister& reg) {
  uint64_t m = 0;
  for (const IdRegField& f : reg.fields) m |= f.mask();
  return m;
}

bool whole_register_filter(const IdRegister& reg, FilterKind kind) {
  for (const IdRegFilter& x : reg.filters)
    if (x.field.empty() && x.kind == kind) return true;
  return false;
}

// The field a bit lies in, or null.
const IdRegField* field_at(const IdRegister& reg, int bit) {
  for (const IdRegField& f : reg.fields)
    if (bit >= f.lsb && bit < f.lsb + f.width) return &f;
  return nullptr;
}

class FixedBitsTest : public testing::Test {
 public:
  explicit FixedBitsTest(IdRegister reg) : reg_(std::move(reg)) {}
  void TestBody() override {
    current_test().subject = id_reg_subject(reg_.name, one_reg_id(reg_));
    std::optional<Skip> skip;
    Result<SelectedRegister> sel = selected(reg_.name, &skip);
    if (skip) KVMCT_SKIP(skip->kind) << skip->reason;
    ASSERT_TRUE(sel) << sel.error().to_string();
    if (aarch32_raz_wi(reg_)) KVMCT_SKIP(SkipKind::NotApplicable) << reg_.name << " is RAZ/WI on this host";
    Result<RegisterBench> bench = bench_for(reg_);
    ASSERT_TRUE(bench) << bench.error().to_string();
    RestoreOnExit restore{reg_};
    // set_clidr (custom_check) and set_imp_id_reg (needs_cap) check the mask bits their own way.
    const bool own_check = whole_register_filter(reg_, FilterKind::CustomCheck) ||
                           whole_register_filter(reg_, FilterKind::NeedsCap);
    uint64_t bits = ~sel->expected_mask;
    if (!own_check) bits |= sel->expected_mask & ~fields_mask(reg_);
    const uint64_t limit = bench->limit;
    uint64_t left_out = 0;
    for (int b = 0; b < 64; b++) {
      const IdRegField* f = field_at(reg_, b);
      if ((bits >> b & 1) && f != nullptr && value_may_be_rewritten(reg_, *f, field_value(*f, limit ^ (1ULL << b))))
        left_out |= 1ULL << b;
    }
    bits &= ~left_out;
    Vcpu& vcpu = bench->vm->vcpus[0];
    const uint64_t id = one_reg_id(reg_);
    uint64_t accepted = 0, changed = 0;
    for (int b = 0; b < 64; b++) {
      if (!(bits >> b & 1)) continue;
      const Status s = vcpu.set_reg(id, limit ^ (1ULL << b));
      Result<uint64_t> now = vcpu.get_reg(id);
      ASSERT_TRUE(now) << now.error().to_string();
      if (s) accepted |= 1ULL << b;
      if (!s && *now != limit) changed |= 1ULL << b;
      if (*now != limit) ASSERT_TRUE(vcpu.set_reg(id, limit)) << reg_.name << ": cannot restore " << hex(limit);
    }
    RecordProperty("bits_tried", hex(bits));
    if (left_out) RecordProperty("bits_left_out", hex(left_out) + " (a rewrite source or the host's hw_value_ignored value)");
    if (changed) RecordProperty("refused_but_changed", hex(changed));
    KVMCT_JUDGE((CheckInput{"outside_bits", "", hex(accepted | changed), {"0x0"},
                            table_at(reg_.line) + " " + reg_.name + ": each bit outside the mask " +
                                hex(sel->expected_mask) + (own_check ? "" : " or in no field") +
                                " flipped alone gets EINVAL and leaves the register unchanged"}),
                std::nullopt, reg_.name, mask_tables().facts);
  }

 private:
  IdRegister reg_;
};

class DescribedTest : public testing::Test {
 public:
  explicit DescribedTest(IdRegister reg) : reg_(std::move(reg)) {}
  void TestBody() override {
    current_test().subject = id_reg_subject(reg_.name, one_reg_id(reg_));
    std::optional<Skip> skip;
    Result<SelectedRegister> sel = selected(reg_.name, &skip);
    if (skip) KVMCT_SKIP(skip->kind) << skip->reason;
    ASSERT_TRUE(sel) << sel.error().to_string();
    Result<RegisterBench> bench = bench_for(reg_);
    ASSERT_TRUE(bench) << bench.error().to_string();
    const uint64_t undescribed = bench->limit & ~fields_mask(reg_);
    RecordProperty("default", hex(bench->limit));
    KVMCT_JUDGE((CheckInput{"undescribed_bits", "", hex(undescribed), {"0x0"},
                            table_at(reg_.line) + " " + reg_.name +
                                ": every non-zero bit of the default lies in a field the tables describe (else a "
                                "host with a feature the tables do not describe: no rule can be derived)"}),
                std::nullopt, reg_.name, mask_tables().facts);
  }

 private:
  IdRegister reg_;
};

class RazTest : public testing::Test {
 public:
  explicit RazTest(IdRegister reg) : reg_(std::move(reg)) {}
  void TestBody() override {
    current_test().subject = id_reg_subject(reg_.name, one_reg_id(reg_));
    std::optional<Skip> skip;
    Result<SelectedRegister> sel = selected(reg_.name, &skip);
    if (skip) KVMCT_SKIP(skip->kind) << skip->reason;
    ASSERT_TRUE(sel) << sel.error().to_string();
    Result<RegisterBench> bench = bench_for(reg_);
    ASSERT_TRUE(bench) << bench.error().to_string();
    RestoreOnExit restore{reg_};
    const std::string at = table_at(reg_.line) + " " + reg_.name + " kind raz (ID_UNALLOCATED/ID_HIDDEN)";
    const std::string& facts = mask_tables().facts;
    KVMCT_JUDGE((CheckInput{"reads", "", hex(bench->limit), {"0x0"}, at + ": reads as zero"}), std::nullopt,
                reg_.name, facts);
    Vcpu& vcpu = bench->vm->vcpus[0];
    const uint64_t id = one_reg_id(reg_);
    KVMCT_JUDGE((CheckInput{"zero", "", outcome(vcpu.set_reg(id, 0)), {"ok"}, at + ": 0 is accepted"}), std::nullopt,
                reg_.name, facts);
    uint64_t accepted = 0;
    for (int b = 0; b < 64; b++) {
      if (vcpu.set_reg(id, 1ULL << b)) {
        accepted |= 1ULL << b;
        ASSERT_TRUE(vcpu.set_reg(id, 0)) << reg_.name << ": cannot write 0 back";
      }
    }
    KVMCT_JUDGE((CheckInput{"nonzero_bits", "", hex(accepted), {"0x0"},
                            at + ": arm64_check_features refuses every non-zero value of a RAZ register"}),
                std::nullopt, reg_.name, facts);
  }

 private:
  IdRegister reg_;
};

template <class T>
void add(const char* suite, const IdRegister& reg) {
  testing::RegisterTest(suite, reg.name.c_str(), nullptr, reg.name.c_str(), __FILE__, __LINE__,
                        [reg]() -> testing::Test* { return new T(reg); });
}

}  // namespace

void register_id_reg_bits_tests(const IdRegRelease& release) {
  for (const IdRegister& reg : release.registers) {
    if (reg.kind == RegKind::Raz) {
      add<RazTest>("IdRegRaz", reg);
      continue;
    }
    if (reg.kind == RegKind::NoUserSet) continue;  // MPIDR: written freely, no feature-ID check
    add<FixedBitsTest>("IdRegFixedBits", reg);
    if (!reg.fields.empty()) add<DescribedTest>("IdRegDescribed", reg);
  }
}

}  // namespace kvmct::arm64
