// SPDX-License-Identifier: MIT
// Which ISA_EXT ids exist: SINGLE GET succeeds exactly when the kernel knows the id and
// the host has the extension (vcpu_onereg.c/isa.c: unknown id or host lacks it -> ENOENT).
// Which ids the kernel knows is observed: an id earlier than the catalogue says is a backport.
#include <gtest/gtest.h>

#include "isa_ext_checks.h"
#include "per_extension_test.h"

namespace kvmct {
namespace {

// How many ids past the catalogue's last one are probed for ENOENT.
constexpr uint32_t kProbePastCatalogue = 32;

KVMCT_PER_EXTENSION_TEST(IsaExtPresence) {
  KVMCT_EXPECTATION(expect, ext);
  KVMCT_SHARED_VCPU(vcpu, pristine_vcpu);
  Result<uint64_t> value = riscv::IsaExtRegister(vcpu, ext.id).get();
  const bool present = value.ok();
  Json& rec = context().isa_ext_record(ext);
  rec["host_has"] = expect.host_has;
  rec["present"] = present;
  rec["expected"]["presence"] = to_string(expect.presence);
  if (!present) {
    ASSERT_EQ(value.err(), ENOENT) << value.error().to_string() << ": an absent id must be ENOENT";
  }

  const Deviation* dev = context().expectations().overrides.deviation(context().release(), ext.name, "presence");
  const std::string deviation = dev ? dev->known.reason : "";
  const std::string facts = "kernel " + context().release() + " (catalogue: " + ext.name + " since " +
                            ext.since.to_string() + "); host device tree " + (expect.host_has ? "has" : "lacks") +
                            " it; KVM says " + (present ? "present = " + std::to_string(*value) : "ENOENT");
  switch (expect.presence) {
    case Presence::Required:
      if (!present && !deviation.empty()) GTEST_SKIP() << "known deviation: " << deviation << "; " << facts;
      EXPECT_TRUE(present) << "missing: " << facts;
      break;
    case Presence::Absent:
      if (present && !deviation.empty()) GTEST_SKIP() << "known deviation: " << deviation << "; " << facts;
      EXPECT_FALSE(present) << "exposed although the host lacks it: " << facts;
      break;
    case Presence::Optional:
      if (present) {
        rec["backport"] = true;
        const bool listed = context().expectations().overrides.is_backport(context().release(), ext.name);
        testing::Test::RecordProperty("backport", listed ? "listed in overrides.yaml" : "not listed in overrides.yaml");
        std::cout << "    # backport: " << facts << (listed ? "" : " (add it to expected/riscv/overrides.yaml)") << "\n";
      }
      break;
  }
  if (present) {
    EXPECT_TRUE(*value == 0 || *value == 1) << "ISA_EXT.SINGLE(" << ext.name << ") reads " << *value;
    record_check(ext, "presence", "present", expect.presence == Presence::Absent ? "absent" : "present");
  } else {
    record_check(ext, "presence", "absent", expect.presence == Presence::Required ? "present" : "absent");
  }
}

TEST(IsaExtPresence, IdsPastCatalogueAreENOENT) {
  KVMCT_SHARED_VCPU(vcpu, pristine_vcpu);
  const uint32_t last = context().catalogue().max_id();
  for (uint32_t id = last + 1; id <= last + kProbePastCatalogue; ++id) {
    Result<uint64_t> value = riscv::IsaExtRegister(vcpu, id).get();
    EXPECT_EQ(value.err(), ENOENT) << "ISA_EXT.SINGLE(" << id << ") is beyond " << context().catalogue().file()
                                   << " (last id " << last << ") yet KVM answers "
                                   << (value ? "value " + std::to_string(*value) : value.error().to_string())
                                   << ": add the id to the catalogue (tools/kvmct catalogue --header asm/kvm.h)";
  }
}

}  // namespace
}  // namespace kvmct
