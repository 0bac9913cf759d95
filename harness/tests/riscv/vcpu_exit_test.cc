// SPDX-License-Identifier: MIT
// Decoding struct kvm_run into exit values, RISC-V exits and the common ones, and the one
// table of trap-cause names.
#include <gtest/gtest.h>

#include "riscv/trap_cause.h"
#include "riscv/vcpu_exit.h"

namespace kvmct::riscv {
namespace {

TEST(VcpuExit, CsrExitIsAStructuredValue) {
  kvm_run run{};
  run.exit_reason = KVM_EXIT_RISCV_CSR;
  run.riscv_csr.csr_num = kSeedCsr;
  run.riscv_csr.new_value = 0;
  run.riscv_csr.write_mask = ~0ul;
  const VcpuExit exit = decode_exit(run);
  const CsrAccess* csr = std::get_if<CsrAccess>(&exit);
  ASSERT_NE(csr, nullptr) << to_string(exit);
  EXPECT_EQ(csr->csr, 0x15u);
  EXPECT_EQ(csr->write_mask, ~uint64_t{0});
}

TEST(VcpuExit, SbiAndCommonExits) {
  kvm_run run{};
  run.exit_reason = KVM_EXIT_RISCV_SBI;
  run.riscv_sbi.extension_id = 0x084B4354;
  run.riscv_sbi.function_id = 3;
  run.riscv_sbi.args[0] = 7;
  VcpuExit exit = decode_exit(run);
  ASSERT_TRUE(std::holds_alternative<SbiCall>(exit)) << to_string(exit);
  EXPECT_EQ(std::get<SbiCall>(exit).args[0], 7u);

  run = {};
  run.exit_reason = KVM_EXIT_MMIO;
  run.mmio.phys_addr = 0x40000000;
  run.mmio.len = 2;
  run.mmio.is_write = 1;
  run.mmio.data[0] = 0x34;
  run.mmio.data[1] = 0x12;
  exit = decode_exit(run);
  ASSERT_TRUE(std::holds_alternative<MmioAccess>(exit)) << to_string(exit);
  EXPECT_EQ(std::get<MmioAccess>(exit).data, 0x1234u);
  EXPECT_EQ(to_string(exit), "MMIO store 2 bytes at 0x40000000 value 0x1234");

  run = {};
  run.exit_reason = KVM_EXIT_SYSTEM_EVENT;
  run.system_event.type = KVM_SYSTEM_EVENT_SHUTDOWN;
  EXPECT_TRUE(std::holds_alternative<SystemEvent>(decode_exit(run)));

  run = {};
  run.exit_reason = KVM_EXIT_HLT;
  EXPECT_EQ(to_string(decode_exit(run)), "exit reason " + std::to_string(KVM_EXIT_HLT));
}

TEST(TrapCause, OneTableForSlugsAndNames) {
  EXPECT_EQ(trap_cause_slug(kIllegalInstruction), "illegal-instruction");
  EXPECT_EQ(trap_cause_slug(1), "instruction-access-fault");
  EXPECT_EQ(trap_cause_slug(4), "load-misaligned");
  EXPECT_EQ(trap_cause_slug(6), "store-misaligned");
  EXPECT_EQ(trap_cause_slug(15), "store-page-fault");
  EXPECT_EQ(trap_cause_slug(22), "virtual-instruction");
  EXPECT_EQ(trap_cause_slug(14), "exception-14") << "14 is reserved";
  EXPECT_EQ(trap_cause_slug(kScauseInterrupt | 5), "interrupt-5");
  EXPECT_EQ(trap_cause_name(6), "store/AMO address misaligned");
  EXPECT_EQ(trap_cause_name(kScauseInterrupt | 5), "interrupt 5");
}

}  // namespace
}  // namespace kvmct::riscv
