// SPDX-License-Identifier: MIT
// IdRegMask.<register>: the word KVM_ARM_GET_REG_WRITABLE_MASKS returns at each Feature ID
// register's slot equals the mask expected/arm64/id-registers.yaml gives for this kernel and host.
// A kernel the tables do not cover fails in IdRegMask.TablesCoverKernel, naming file and kernel.
#include <gtest/gtest.h>

#include "arm64/reg_id.h"
#include "arm64/writable_masks.h"
#include "check_judge.h"
#include "mask_tables.h"
#include "suite_context.h"

namespace kvmct::arm64 {

void register_writable_mask_contract_tests();  // writable_masks_test.cc

namespace {

uint64_t one_reg_id(const IdRegister& reg) {
  const auto& e = reg.encoding;
  return sys_reg_id({static_cast<uint32_t>(e[0]), static_cast<uint32_t>(e[1]), static_cast<uint32_t>(e[2]),
                     static_cast<uint32_t>(e[3]), static_cast<uint32_t>(e[4])});
}

// The masks of one VM with no vCPU, read once for every IdRegMask case.
const Result<WritableMasks>& observed_masks() {
  static const Result<WritableMasks> masks = []() -> Result<WritableMasks> {
    Result<KvmSystem> kvm = KvmSystem::open();
    if (!kvm) return kvm.error();
    Result<Vm> vm = kvm->create_vm();
    if (!vm) return vm.error();
    return writable_masks(*vm);
  }();
  return masks;
}

class IdRegMaskTest : public testing::Test {
 public:
  explicit IdRegMaskTest(IdRegister reg) : reg_(std::move(reg)) {}
  void TestBody() override {
    current_test().subject = id_reg_subject(reg_.name, one_reg_id(reg_));
    const MaskTables& t = mask_tables();
    if (t.absent) KVMCT_SKIP(t.absent->kind) << t.absent->reason;
    Result<std::array<uint64_t, kFeatureIdRangeSize>> expected = t.expected();
    ASSERT_TRUE(expected) << expected.error().to_string();
    const Result<WritableMasks>& observed = observed_masks();
    ASSERT_TRUE(observed) << observed.error().to_string();
    const size_t slot = static_cast<size_t>(reg_.slot);
    RecordProperty("slot", std::to_string(slot));
    KVMCT_JUDGE((CheckInput{"mask", "", hex((*observed)[slot]), {hex((*expected)[slot])},
                            t.tables.file() + ":" + std::to_string(reg_.line) + " " + reg_.name + " mask (release " +
                                t.selection->release.name() + ", " + reg_kind_name(reg_.kind).data() + ")"}),
                std::nullopt, reg_.name, t.facts);
  }

 private:
  IdRegister reg_;
};

// The kernel has no release range in the tables, or no version at all.
class TablesCoverKernelTest : public testing::Test {
 public:
  void TestBody() override {
    const MaskTables& t = mask_tables();
    ASSERT_TRUE(t.selection) << t.selection.error().to_string();
  }
};

}  // namespace

Status register_writable_mask_tests() {
  if (Status s = load_mask_tables(); !s) return s;
  register_writable_mask_contract_tests();
  const MaskTables& t = mask_tables();
  const IdRegRelease* release = t.case_release();
  if (release == nullptr) {
    testing::RegisterTest("IdRegMask", "TablesCoverKernel", nullptr, nullptr, __FILE__, __LINE__,
                          []() -> testing::Test* { return new TablesCoverKernelTest(); });
    return Ok{};
  }
  for (const IdRegister& reg : release->registers) {
    testing::RegisterTest("IdRegMask", reg.name.c_str(), nullptr, reg.name.c_str(), __FILE__, __LINE__,
                          [reg]() -> testing::Test* { return new IdRegMaskTest(reg); });
  }
  return Ok{};
}

}  // namespace kvmct::arm64
