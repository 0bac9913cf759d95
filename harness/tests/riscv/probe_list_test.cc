// SPDX-License-Identifier: MIT
// The probe payload's one list (guest-payloads/riscv/probe/probe_list.h) as the host reads it,
// and the loader of expected/riscv/isa-probes.yaml refusing a probe that list lacks.
#include <gtest/gtest.h>

#include <set>

#include "probe/probe_list.h"
#include "riscv/expect/expectations.h"
#include "riscv/expect/isa_probes.h"

namespace kvmct {
namespace {

TEST(ProbeList, IdsAreUniqueAndFitTheParameterBlock) {
  std::set<std::string_view> seen;
  for (std::string_view id : payload_probe_ids()) {
    EXPECT_TRUE(seen.insert(id).second) << id << " is listed twice";
    EXPECT_LT(id.size(), size_t{KVMCT_PROBE_NAME_MAX}) << id << " does not fit probe_params.name with its NUL";
  }
  EXPECT_EQ(payload_probe_ids().front(), "amoadd_w");
  EXPECT_EQ(payload_probe_ids().back(), "vfwmaccbf16_vv");
}

TEST(ProbeList, LoaderRefusesAProbeThePayloadLacks) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_ROOT "/riscv");
  ASSERT_TRUE(e) << e.error().to_string();
  std::string text = "probes:\n";
  for (const Extension& ext : e->catalogue.extensions()) text += "  " + ext.name + ": {none: test}\n";
  // Every extension has an entry: only the probe name decides.
  ASSERT_TRUE(IsaProbes::parse(text, "p.yaml", e->catalogue)) << "the base text must load";
  std::string typo = text;
  typo.replace(typo.find("  A: {none: test}"), 17, "  A: {probe: amoadd_ww}");
  Result<IsaProbes> refused = IsaProbes::parse(typo, "p.yaml", e->catalogue);
  ASSERT_FALSE(refused) << "amoadd_ww is not in probe_list.h";
  EXPECT_NE(refused.error().what.find("probe amoadd_ww is not in the payload's list"), std::string::npos)
      << refused.error().what;
  EXPECT_EQ(refused.error().what.rfind("p.yaml:", 0), 0u) << "the error names file:line: " << refused.error().what;

  std::string right = text;
  right.replace(right.find("  A: {none: test}"), 17, "  A: {probe: amoadd_w}");
  EXPECT_TRUE(IsaProbes::parse(right, "p.yaml", e->catalogue)) << "amoadd_w is in probe_list.h";
  // The list is a parameter: a payload without amoadd_w makes the same entry an error.
  const std::string_view only[] = {"add"};
  EXPECT_FALSE(IsaProbes::parse(right, "p.yaml", e->catalogue, only));
}

}  // namespace
}  // namespace kvmct
