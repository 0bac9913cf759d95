// SPDX-License-Identifier: MIT
// Which ISA_EXT ids exist: SINGLE GET succeeds exactly when the kernel knows the id and
// the host has the extension (vcpu_onereg.c/isa.c: unknown id or host lacks it -> ENOENT).
// Which ids the kernel knows is observed: an id earlier than the catalogue says is a backport.
#include <gtest/gtest.h>

#include "isa_ext_checks.h"
#include "per_extension_test.h"

namespace kvmct {
namespace {

// How many ids past the kernel's last MULTI word are probed for ENOENT.
constexpr uint32_t kProbePastKernel = 32;

// The rule behind the expected presence, for check records and messages.
std::string presence_rule(const Extension& ext, const IsaExtExpectation& expect) {
  const std::string known = ext.name + " since " + ext.since.to_string() + " in " + context().catalogue().file();
  switch (expect.presence) {
    case Presence::Required: return "present: kernel " + context().release() + " knows it (" + known + ") and the host has it";
    case Presence::Absent: return "absent: the host device tree lacks it, so KVM answers ENOENT (isa.c __kvm_riscv_isa_check_host())";
    case Presence::Optional: return "either: kernel " + context().release() + " predates it (" + known + "); present only if backported";
  }
  return "";
}

KVMCT_PER_EXTENSION_TEST(IsaExtPresence) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_SHARED_VCPU(vcpu, pristine_vcpu);
  Result<uint64_t> value = riscv::IsaExtRegister(vcpu, ext.id).get();
  const bool present = value.ok();
  Json& rec = context().isa_ext_record(ext);
  rec["host_has"] = expect.host_has;
  rec["present"] = present;
  if (present) rec["backport"] = expect.presence == Presence::Optional;
  if (!present) {
    ASSERT_EQ(value.err(), ENOENT) << value.error().to_string() << ": an absent id must be ENOENT";
  }
  const std::string facts = "KVM says " + (present ? "present = " + std::to_string(*value) : std::string("ENOENT"));
  if (expect.presence == Presence::Optional && present) {
    const bool listed = context().expectations().overrides.is_backport(context().release(), ext.name);
    testing::Test::RecordProperty("backport", listed ? "listed in overrides.yaml" : "not listed in overrides.yaml");
    std::cout << "    # backport: " << presence_rule(ext, expect) << "; " << facts
              << (listed ? "" : " (add it to expected/riscv/overrides.yaml)") << "\n";
  }
  const std::string observed = present ? "present" : "absent";
  const std::string expected = expect.presence == Presence::Required ? "present"
                               : expect.presence == Presence::Absent ? "absent"
                                                                     : observed;  // a backport or not: both fine
  KVMCT_JUDGE_ISA_EXT(ext, "presence", observed, expected, presence_rule(ext, expect), facts);
  if (present) EXPECT_TRUE(*value == 0 || *value == 1) << "ISA_EXT.SINGLE(" << ext.name << ") reads " << *value;
}

// Ids past the last readable MULTI word are at or past KVM_RISCV_ISA_EXT_MAX, whatever the
// catalogue knows; ids the kernel has and the catalogue lacks are IsaExtCatalogue's to report.
// Before 6.6 (no MULTI registers) the range ends 32 ids past the catalogue's last.
TEST(IsaExtPresence, IdsPastKernelMaxAreENOENT) {
  KVMCT_SHARED_VCPU(vcpu, pristine_vcpu);
  const uint32_t first = kernel_id_end(vcpu);
  for (uint32_t id = first; id < first + kProbePastKernel; ++id) {
    Result<uint64_t> value = riscv::IsaExtRegister(vcpu, id).get();
    EXPECT_EQ(value.err(), ENOENT) << "ISA_EXT.SINGLE(" << id << ") is past the kernel's id range (0.." << first - 1
                                   << ": " << multi_words(vcpu) << " readable MULTI words), yet KVM answers "
                                   << (value ? "value " + std::to_string(*value) : value.error().to_string());
  }
}

}  // namespace
}  // namespace kvmct
