// SPDX-License-Identifier: MIT
// overrides.yaml deviations carry a mandatory owner, the result document's check names, and
// the file:line they come from.
#include <gtest/gtest.h>

#include "riscv/expect/overrides.h"

namespace kvmct {
namespace {

Catalogue tiny_catalogue() {
  return *Catalogue::parse("extensions:\n  - {name: ZAAMO, id: 0, since: \"6.15\", host: [zaamo]}\n", "cat.yaml");
}

Result<Overrides> with_deviation(const std::string& fields) {
  return Overrides::parse("overrides:\n  - kernel: \"7.2.*\"\n    deviations:\n      - {extension: ZAAMO, " + fields +
                              "}\n",
                          "overrides.yaml", tiny_catalogue());
}

TEST(OverridesOwner, DeviationIsStructured) {
  Result<Overrides> o = with_deviation("check: disable, owner: qemu, reason: \"a reason\"");
  ASSERT_TRUE(o) << o.error().to_string();
  const Deviation* d = o->deviation("7.2.13+deb14-riscv64", "ZAAMO", "disable");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->known.owner, Owner::Qemu);
  EXPECT_EQ(d->known.reason, "a reason");
  EXPECT_EQ(d->known.source, "overrides.yaml:4");
  EXPECT_EQ(o->deviation("7.2.13+deb14-riscv64", "ZAAMO", "enable"), nullptr);
}

TEST(OverridesOwner, OwnerIsMandatory) {
  Result<Overrides> o = with_deviation("check: disable, reason: r");
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().what.find("overrides.yaml:4"), std::string::npos) << o.error().what;
  EXPECT_NE(o.error().what.find("'owner'"), std::string::npos) << o.error().what;
}

TEST(OverridesOwner, OwnerMustBeKnown) {
  Result<Overrides> o = with_deviation("check: disable, owner: opensbi, reason: r");
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().what.find("owner 'opensbi' is not one of kvm | platform | qemu"), std::string::npos)
      << o.error().what;
  for (const char* owner : {"kvm", "platform", "qemu"})
    EXPECT_TRUE(with_deviation(std::string("check: disable, owner: ") + owner + ", reason: r")) << owner;
}

TEST(OverridesOwner, ChecksAreTheResultDocumentNames) {
  for (const char* check : {"presence", "default", "disable", "enable", "after_run", "executes_default",
                            "executes_disabled"})
    EXPECT_TRUE(with_deviation(std::string("check: ") + check + ", owner: kvm, reason: r")) << check;
  Result<Overrides> old = with_deviation("check: execution, owner: kvm, reason: r");
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().what.find("check 'execution'"), std::string::npos) << old.error().what;
}

TEST(OverridesOwner, OwnerNamesRoundTrip) {
  for (Owner o : {Owner::Kvm, Owner::Platform, Owner::Qemu}) EXPECT_EQ(parse_owner(to_string(o)), o);
  EXPECT_EQ(parse_owner("KVM"), std::nullopt);
  EXPECT_STREQ(to_string(Owner::Kvm), "kvm");
  EXPECT_STREQ(to_string(Owner::Platform), "platform");
  EXPECT_STREQ(to_string(Owner::Qemu), "qemu");
}

}  // namespace
}  // namespace kvmct
