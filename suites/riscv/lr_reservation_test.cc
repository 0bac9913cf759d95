// SPDX-License-Identifier: MIT
// An exit to userspace breaks a vCPU's LR reservation. The guest (guest-payloads/riscv/
// isolation, op KVMCT_ISOLATION_LR_EXIT_OP) does LR, then a load from an unmapped address that
// KVM hands to the VMM as an MMIO exit, in which the VMM stores to the reserved word; then SC.
// The SC must fail and memory must keep the VMM's value. Why it must fail: the privileged
// spec lets xRET keep a reservation ("Trap handlers should explicitly clear the reservation
// if required (e.g., by using a dummy SC) before executing the xRET", "Environment Return
// Instructions"), and Linux does exactly that on every return to userspace:
// arch/riscv/kernel/entry.S ret_from_exception, `REG_SC x0, a2, PT_EPC(sp)` (Debian
// linux-source-6.12 6.12.107-1 line 268, linux-source-7.2 7.2.13-1 line 304); an SC "invalidates
// any reservation held by this hart" whether or not it succeeds (unprivileged spec, Zalrsc).
// The rewrite case stores the value the word already held: an SC that only compares values
// (an ABA check, as QEMU's TCG cmpxchg-based SC does) would succeed there if the reservation
// survived, so only a broken reservation makes it fail.
#include <gtest/gtest.h>

#include <array>

#include "guest_support.h"
#include "riscv/isolation_ops.h"

namespace kvmct {
namespace {

enum class VmmStore { NewValue, SameValue };

constexpr std::array<unsigned, KVMCT_ISOLATION_SLOTS> kWidths = {4, 8};  // lr.w/sc.w, then lr.d/sc.d
constexpr std::array<uint64_t, KVMCT_ISOLATION_SLOTS> kInitial = {0x13572468, 0x0123456789abcdef};

void run_reservation(VmmStore store) {
  Result<riscv::GuestVm> vm = make_guest_vm("isolation");
  ASSERT_TRUE(vm.ok()) << vm.error().to_string();
  std::array<uint64_t, KVMCT_ISOLATION_SLOTS> vmm_value{};
  for (unsigned s = 0; s < KVMCT_ISOLATION_SLOTS; s++) {
    const uint64_t gpa = KVMCT_ISOLATION_GPA + s * KVMCT_ISOLATION_SLOT_BYTES;
    ASSERT_TRUE(vm->memory().write(gpa, {reinterpret_cast<const uint8_t*>(&kInitial[s]), kWidths[s]}).ok());
    vmm_value[s] = store == VmmStore::SameValue ? kInitial[s] : kInitial[s] ^ 0x5a5a5a5a;
  }
  const uint64_t params[KVMCT_ISOLATION_PARAM_WORDS] = {KVMCT_ISOLATION_LR_EXIT_OP, 1, 0, 0, 0, 0};
  ASSERT_TRUE(vm->set_params_of(params).ok());

  unsigned exits = 0;
  RunOptions options;
  options.timeout = std::chrono::seconds(20);
  // The n-th exit sits between the LR and SC of slot n: the vCPU is in userspace, the VMM
  // stores to the reserved word through its own mapping.
  options.on_mmio = [&](unsigned, const MmioAccess& access) -> std::optional<uint64_t> {
    if (access.is_write || access.gpa != KVMCT_ISOLATION_LR_EXIT || exits >= KVMCT_ISOLATION_SLOTS) return std::nullopt;
    const unsigned s = exits++;
    const uint64_t gpa = KVMCT_ISOLATION_GPA + s * KVMCT_ISOLATION_SLOT_BYTES;
    if (!vm->memory().write(gpa, {reinterpret_cast<const uint8_t*>(&vmm_value[s]), kWidths[s]})) return std::nullopt;
    return 0;
  };
  const GuestRun run = vm->run(options);
  record_guest_run(run);
  ASSERT_TRUE(run.clean()) << run.summary();
  ASSERT_EQ(exits, KVMCT_ISOLATION_SLOTS) << "the guest did not exit to userspace between each LR and SC";
  KVMCT_REQUIRE_REPORTS(lr_value, run, "lr_value", KVMCT_ISOLATION_SLOTS);
  KVMCT_REQUIRE_REPORTS(sc_status, run, "sc_status", KVMCT_ISOLATION_SLOTS);
  KVMCT_REQUIRE_REPORTS(memory, run, "memory", KVMCT_ISOLATION_SLOTS);
  for (unsigned s = 0; s < KVMCT_ISOLATION_SLOTS; s++) {
    const std::string insn = kWidths[s] == 4 ? "lr.w/sc.w" : "lr.d/sc.d";
    EXPECT_EQ(hex(lr_value[s]), hex(kInitial[s])) << insn << ": LR did not read the word the host wrote";
    EXPECT_NE(sc_status[s], 0u) << insn << ": SC succeeded after an exit to userspace in which the VMM stored "
                                << hex(vmm_value[s]) << " to the reserved word; memory now " << hex(memory[s]);
    EXPECT_EQ(hex(memory[s]), hex(vmm_value[s])) << insn << ": the VMM's store was overwritten";
  }
}

TEST(LrReservation, BrokenByUserspaceExit) { run_reservation(VmmStore::NewValue); }

TEST(LrReservation, BrokenByUserspaceRewriteOfSameValue) { run_reservation(VmmStore::SameValue); }

}  // namespace
}  // namespace kvmct
