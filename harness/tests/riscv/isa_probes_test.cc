// SPDX-License-Identifier: MIT
// expected/riscv/isa-probes.yaml loads against the real catalogue, covers every extension, agrees
// with the catalogue's guest_visible, and the loader rejects what it should.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "riscv/expect/expectations.h"
#include "riscv/expect/isa_probes.h"

namespace kvmct {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(IsaProbes, RealTableCoversTheCatalogue) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_DIR);
  ASSERT_TRUE(e) << e.error().to_string();
  Result<IsaProbes> p = IsaProbes::parse(read(std::string(KVMCT_EXPECTED_DIR) + "/isa-probes.yaml"),
                                         "isa-probes.yaml", e->catalogue);
  ASSERT_TRUE(p) << p.error().to_string();
  int probed = 0;
  for (const Extension& ext : e->catalogue.extensions()) {
    const IsaProbe* probe = p->find(ext.name);
    ASSERT_NE(probe, nullptr) << ext.name;
    // An extension the catalogue calls invisible is only ever probed as a HINT.
    if (!ext.guest_visible && probe->kind == IsaProbe::Kind::Probe)
      EXPECT_TRUE(probe->hint) << ext.name << " is not guest_visible but has a non-hint probe";
    probed += probe->kind == IsaProbe::Kind::Probe;
  }
  EXPECT_GE(probed, 25) << "issue 5: at least 25 extensions probed";
  EXPECT_EQ(p->find("ZAAMO")->probe, "amoadd_w");
  EXPECT_EQ(p->find("ZKR")->on, "vmm-exit");
  EXPECT_EQ(p->find("F")->disable_also, std::vector<std::string>{"D"});
}

TEST(IsaProbes, RejectsBadEntries) {
  Result<Expectations> e = Expectations::load_dir(KVMCT_EXPECTED_DIR);
  ASSERT_TRUE(e) << e.error().to_string();
  const Catalogue& c = e->catalogue;
  EXPECT_FALSE(IsaProbes::parse("probes:\n  NOPE: {probe: x}\n", "p.yaml", c)) << "unknown extension";
  Result<IsaProbes> missing = IsaProbes::parse("probes:\n  A: {probe: amoadd_w}\n", "p.yaml", c);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().what.find("has no entry"), std::string::npos) << missing.error().what;
  Result<IsaProbes> both = IsaProbes::parse("probes:\n  A: {probe: x, none: y}\n", "p.yaml", c);
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().what.rfind("p.yaml:2: ", 0), 0u) << both.error().what;
  EXPECT_FALSE(IsaProbes::parse("probes:\n  A: {probe: x, disabled: executes}\n", "p.yaml", c))
      << "a register at 0 must hide the extension; deviations belong in overrides.yaml";
  EXPECT_FALSE(IsaProbes::parse("probes:\n  A: {probe: x, disabled: trap}\n", "p.yaml", c));
  EXPECT_FALSE(IsaProbes::parse("probes:\n  A: {probe: x, disable_also: [NOPE]}\n", "p.yaml", c));
  EXPECT_FALSE(IsaProbes::parse("probes:\n  A: {probe: x, typo: 1}\n", "p.yaml", c));
}

}  // namespace
}  // namespace kvmct
